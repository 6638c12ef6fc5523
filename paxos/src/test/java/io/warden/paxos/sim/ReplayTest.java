package io.warden.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.paxos.PlantedBug;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A seed is a complete description of a run: replaying it reproduces every event, and its failure. */
class ReplayTest {
    @Test
    void sameSeedReplaysTheSameRun() {
        for (long seed : new long[] {3, 77, 1_000_001}) {
            SimResult a = new Simulation(SimConfig.of(5, seed)).run();
            SimResult b = new Simulation(SimConfig.of(5, seed)).run();
            assertThat(b.traceHash()).isEqualTo(a.traceHash());
            assertThat(b.steps()).isEqualTo(a.steps());
            assertThat(b.faults()).isEqualTo(a.faults());
        }
    }

    @Test
    void differentSeedsDiffer() {
        assertThat(new Simulation(SimConfig.of(3, 1)).run().traceHash())
            .isNotEqualTo(new Simulation(SimConfig.of(3, 2)).run().traceHash());
    }

    @Test
    void aFailingSeedFailsAgainTheSameWay() {
        SimConfig config = null;
        SimResult first = null;
        for (long seed = 1; first == null; seed++) {
            SimConfig c = SimConfig.of(3, seed).withBugs(Set.of(PlantedBug.IGNORE_ACCEPTED_IN_PHASE1));
            SimResult r = new Simulation(c).run();
            if (!r.ok()) {
                config = c;
                first = r;
            }
        }
        SimResult again = new Simulation(config).run();
        assertThat(again.violation()).isEqualTo(first.violation());
        assertThat(config.replayCommand()).contains("--seeds 1 --seed " + config.seed()).contains("--bug IGNORE_ACCEPTED_IN_PHASE1");
    }
}
