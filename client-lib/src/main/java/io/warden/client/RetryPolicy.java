package io.warden.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a call keeps trying through "not master", "no master yet" (an election) and unreachable
 * replicas: exponential back-off from {@code initialBackoff} to {@code maxBackoff}, each delay
 * between half and all of its step (jitter, so that clients refused together do not return
 * together), for at most {@code deadline} in all. An overloaded replica's {@code Retry-After} is
 * waited out in full (plus jitter) instead. Mutating calls are retried with the same request id,
 * so a retry after a lost reply never acts twice.
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration deadline) {
    public RetryPolicy {
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || deadline.isNegative()) {
            throw new IllegalArgumentException("retry policy needs 0 <= initial <= max and a non-negative deadline");
        }
    }

    /**
     * 20 ms doubling to 100 ms, for up to 15 s: long enough to ride out a fail-over, and a retry
     * within 100 ms of the new master starting to serve (a 500 ms cap added up to half a second to
     * every fail-over a client saw). A waiting client sends at most ten requests a second, each
     * answered at once by a replica that has no master to name.
     */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(15));
    }

    /** The delay before retry {@code attempt + 1}: at least {@code notBeforeMillis} (a Retry-After). */
    long backoffMillis(int attempt, long notBeforeMillis, RandomGenerator random) {
        long step = Math.min(initialBackoff.toMillis() << Math.min(attempt, 20), maxBackoff.toMillis());
        if (notBeforeMillis > step) step = notBeforeMillis + notBeforeMillis / 2;
        long floor = Math.max(step / 2, notBeforeMillis);
        return floor + random.nextLong(step - floor + 1);
    }
}
