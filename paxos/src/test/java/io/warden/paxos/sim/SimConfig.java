package io.warden.paxos.sim;

import io.warden.leases.DriftBound;
import io.warden.leases.LeaseTerms;
import io.warden.paxos.PaxosOptions;
import io.warden.paxos.PlantedBug;
import java.util.Set;

/**
 * One simulated run: how many replicas, which seed, and whether clocks may break the drift bound.
 *
 * @param breakDrift  clocks drift up to 4ε: only the lease guarantees may be lost, never agreement
 * @param plantedBugs protocol bugs switched on in every replica, to show the checkers catch them
 */
public record SimConfig(int replicas, long seed, boolean breakDrift, Set<PlantedBug> plantedBugs,
                        long faultMillis, long livenessMillis) {
    /**
     * The lease the simulated cell runs with: short, so that a run sees many elections, and under
     * a wide drift bound (10 %), so that a lease computed without it is wrong by more than the
     * election jitter and the simulator can see the difference.
     */
    public static final LeaseTerms LEASE = new LeaseTerms(1_000, new DriftBound(0.1));

    public SimConfig {
        if (replicas < 1 || replicas > 9) throw new IllegalArgumentException("1 to 9 replicas, got " + replicas);
        plantedBugs = Set.copyOf(plantedBugs);
    }

    public static SimConfig of(int replicas, long seed) {
        return new SimConfig(replicas, seed, false, Set.of(), 12_000, 20_000);
    }

    public SimConfig withBugs(Set<PlantedBug> bugs) {
        return new SimConfig(replicas, seed, breakDrift, bugs, faultMillis, livenessMillis);
    }

    public SimConfig withBreakDrift(boolean on) {
        return new SimConfig(replicas, seed, on, plantedBugs, faultMillis, livenessMillis);
    }

    /** Small windows, batches and snapshot intervals, so every code path runs in a short run. */
    PaxosOptions options() {
        return new PaxosOptions(LEASE, 200, 150, 40, 6, 3, 7, 8, 3, 64, plantedBugs);
    }

    /** The one command that replays this run. */
    public String replayCommand() {
        StringBuilder b = new StringBuilder("bin/warden-sim --replicas " + replicas + " --seeds 1 --seed " + seed);
        if (breakDrift) b.append(" --break-drift");
        for (PlantedBug bug : plantedBugs) b.append(" --bug ").append(bug);
        return b.toString();
    }
}
