package io.warden.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The evidence for the core: thousands of seeded runs under every fault, each checked after every
 * step for invariants 1-6 (docs/paxos.md). {@code -Dwarden.sim.seeds=N} sets the total (2/3 of
 * them on 3 replicas, 1/3 on 5); the default in the build is what CI runs.
 */
class SimulationTest {
    private static long totalSeeds() {
        return Long.getLong("warden.sim.seeds", 2_100);
    }

    @ParameterizedTest(name = "{0} replicas")
    @CsvSource({"3, 2, 1", "5, 1, 1000001"})
    void everyInvariantHoldsOnEverySeed(int replicas, int share, long firstSeed) {
        long seeds = Math.max(1, totalSeeds() * share / 3);
        List<String> failures = new ArrayList<>();
        long acknowledged = 0;
        for (long s = firstSeed; s < firstSeed + seeds; s++) {
            SimResult r = new Simulation(SimConfig.of(replicas, s)).run();
            acknowledged += r.acknowledged();
            if (!r.ok()) failures.add(r.violation() + "\n  replay: " + r.config().replayCommand());
        }
        System.out.println("simulated " + seeds + " seeds on " + replicas + " replicas: " + acknowledged
            + " client commands acknowledged, violations=" + failures.size());
        assertThat(failures).as("violations over %d seeds", seeds).isEmpty();
        // The runs must do real work, or passing proves nothing.
        assertThat(acknowledged).isGreaterThan(seeds * 50);
    }
}
