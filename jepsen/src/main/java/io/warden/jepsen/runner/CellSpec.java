package io.warden.jepsen.runner;

/**
 * The shape of the cell a run starts: how many replicas, their lease timings (short, so that
 * fail-overs take about a second), the drift bound ε, and the cell limits the workloads rely on.
 */
public record CellSpec(int replicas, long leaseMillis, long renewMillis, long electionJitterMillis, double driftBound,
                       long lockDelayMillis, long minSessionTimeoutMillis) {

    public CellSpec {
        if (replicas < 1 || replicas > 9) {
            throw new IllegalArgumentException("1 to 9 replicas, got " + replicas);
        }
        if (leaseMillis < 3 * renewMillis) {
            throw new IllegalArgumentException("renewMillis must be at most leaseMillis / 3");
        }
        if (!(driftBound >= 0 && driftBound < 0.5)) {
            throw new IllegalArgumentException("driftBound must be in [0, 0.5)");
        }
    }

    /** The harness's defaults: lease 1 s, renew 200 ms, jitter 200 ms, lock-delay 1 s. */
    public static CellSpec fast(int replicas, double driftBound) {
        return new CellSpec(replicas, 1_000, 200, 200, driftBound, 1_000, 1_000);
    }
}
