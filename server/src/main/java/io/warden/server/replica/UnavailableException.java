package io.warden.server.replica;

/**
 * The request cannot be served now but may be soon: the master has not yet recovered the slots it
 * inherited, or lost its lease, or mastership changed while a write was pending (its outcome is then
 * unknown: retry with the same request id, and the exactly-once table answers with the first outcome).
 */
public final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message) {
        super(message);
    }
}
