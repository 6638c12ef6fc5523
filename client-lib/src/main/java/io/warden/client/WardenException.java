package io.warden.client;

/**
 * A call the cell refused or could not answer. {@link #type()} is the problem type's last part
 * (for example {@code not-acquired}, {@code session-expired}, {@code invalid-name}); {@link #status()}
 * the HTTP status (0 when no replica answered at all). {@link #isRetryable()} says whether the same
 * call, with the same request id, may succeed later.
 */
public class WardenException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String type;

    public WardenException(int status, String type, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
    }

    public WardenException(String detail, Throwable cause) {
        super(detail, cause);
        this.status = 0;
        this.type = "unreachable";
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** No replica answered, or the cell said "not now" (503): the outcome of a write is unknown. */
    public boolean isRetryable() {
        return status == 0 || status == 503 || status == 421;
    }
}
