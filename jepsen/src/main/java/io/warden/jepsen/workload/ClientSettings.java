package io.warden.jepsen.workload;

import io.warden.client.RetryPolicy;
import java.time.Duration;

/**
 * How the workloads' clients talk to the cell. Short, to match the harness cell's short lease:
 * a call that cannot be answered within {@code retryDeadline} is recorded {@code info}.
 *
 * @param sessionTimeout  every session's requested timeout
 * @param sessionGrace    how long a session may stay in JEOPARDY before the library expires it
 * @param requestTimeout  one HTTP exchange
 * @param retryDeadline   how long one call retries through elections and unreachable replicas
 * @param lockDelay       the lock-delay every acquire asks for (the checkers are told it)
 * @param acquireWait     how long an acquire (or a campaign) waits in the lock's queue
 * @param driftBound      ε, as the cell is configured
 * @param opPauseMillis   the longest pause between a worker's operations
 */
public record ClientSettings(Duration sessionTimeout, Duration sessionGrace, Duration requestTimeout,
                             Duration retryDeadline, Duration lockDelay, Duration acquireWait, double driftBound,
                             long opPauseMillis) {

    /** The harness's defaults for a cell with a 1 s lease and the given lock-delay. */
    public static ClientSettings defaults(Duration lockDelay, double driftBound) {
        return new ClientSettings(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(2),
                Duration.ofSeconds(5), lockDelay, Duration.ofMillis(1500), driftBound, 30);
    }

    /** The retry policy of every client. */
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(400), retryDeadline);
    }
}
