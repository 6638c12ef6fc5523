package io.warden.leases;

/**
 * A monotonic clock in milliseconds, injected wherever lease arithmetic needs "now".
 *
 * <p>Readings never go backwards and say nothing about wall-clock time; only differences between
 * two readings of the same clock mean anything. Its rate may drift from real time, within the
 * {@link DriftBound} the cell is configured with. Implementations must be cheap and thread-safe.
 */
@FunctionalInterface
public interface MonotonicClock {
    long nowMillis();

    /** The JVM's monotonic clock; the only one production code uses. */
    static MonotonicClock system() {
        return () -> System.nanoTime() / 1_000_000L;
    }
}
