package io.warden.leases;

/**
 * A monotonic clock in milliseconds, injected wherever lease arithmetic needs "now".
 *
 * <p>Readings never go backwards and say nothing about wall-clock time; only differences between
 * two readings of the same clock mean anything. Its rate may drift from real time, within the
 * {@link DriftBound} the cell is configured with. Implementations must be cheap and thread-safe.
 * The system's clock is adapted at the edges ({@code io.warden.client.SystemClock}), never here.
 */
@FunctionalInterface
public interface MonotonicClock {
    long nowMillis();
}
