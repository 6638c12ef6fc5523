package io.warden.client;

import io.warden.leases.MonotonicClock;

/**
 * The JVM's monotonic clock, as the {@link MonotonicClock} the lease arithmetic is given. It lives
 * at the edge (the client library, and the server that depends on it) so that the deterministic
 * modules never read time themselves: there it is always injected.
 */
public final class SystemClock {
    private static final MonotonicClock MONOTONIC = () -> System.nanoTime() / 1_000_000L;

    private SystemClock() {}

    /** The only clock production code uses. */
    public static MonotonicClock monotonic() {
        return MONOTONIC;
    }
}
