package io.warden.paxos.sim;

import java.util.List;

/**
 * What one run found: its first violation (or null); in a run that breaks the drift bound, the lease
 * violations apart (they are expected there and do not stop the run); a trace hash that changes with any difference
 * in the sequence of events (so two runs of one seed can be compared), and some counts.
 */
public record SimResult(SimConfig config, Violation violation, Violation firstClockViolation, long clockViolations,
                        long traceHash, long steps, long endedAtMillis,
                        long acknowledged, long maxDecidedSlot, List<String> faults) {
    public boolean ok() {
        return violation == null;
    }
}
