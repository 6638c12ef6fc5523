package io.warden.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When clocks break the drift bound, only the lease guarantees (4 and 5) may be lost: agreement,
 * the applied prefix, durability and liveness do not rest on clocks at all.
 */
class BrokenDriftTest {
    @Test
    void onlyLeaseGuaranteesAreLost() {
        List<String> failures = new ArrayList<>();
        long runsLosingLease = 0;
        for (long seed = 1; seed <= 400; seed++) {
            SimResult r = new Simulation(SimConfig.of(3, seed).withBreakDrift(true)).run();
            if (r.firstClockViolation() != null) {
                runsLosingLease++;
                assertThat(r.firstClockViolation().invariant().restsOnClocks()).isTrue();
            }
            if (!r.ok()) failures.add(r.violation() + " replay: " + r.config().replayCommand());
        }
        assertThat(failures).as("clock-independent invariants").isEmpty();
        // The mode must really break leases, or it shows nothing.
        assertThat(runsLosingLease).isGreaterThan(0);
    }
}
