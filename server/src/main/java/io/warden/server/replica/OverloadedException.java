package io.warden.server.replica;

/**
 * The replica is holding as much client work as its {@link io.warden.server.config.LoadLimits}
 * allow and refused this request without acting on it (answered 503 {@code overloaded} with
 * Retry-After): nothing was applied, so a retry later with the same request id is safe.
 */
public final class OverloadedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String limit;

    public OverloadedException(String limit, String message) {
        super(message);
        this.limit = limit;
    }

    /** The bound that was reached, as named in the configuration (e.g. {@code maxQueuedRequests}). */
    public String limit() {
        return limit;
    }
}
