package io.warden.jepsen.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.jepsen.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Histories from real registers are always accepted; the same histories with one planted
 * impossible read are always rejected. A failure names the seed that replays it.
 */
class LinearizabilityRandomizedTest {
    private static final int SEEDS = 200;

    @Test
    void realRegistersAreLinearizableAndOneCorruptReadIsNot() {
        LinearizabilityChecker checker = new LinearizabilityChecker();
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<Op> history = RegisterSimulation.generate(seed, 6, 2, 150, 0.05);
            CheckResult valid = checker.check(history);
            assertThat(valid.valid()).as("seed %d: %s", seed, valid.anomalies()).isEqualTo(Validity.VALID);
            List<Op> corrupted = RegisterSimulation.corruptOneRead(history, seed);
            CheckResult invalid = checker.check(corrupted);
            assertThat(invalid.valid()).as("seed %d, corrupted", seed).isEqualTo(Validity.INVALID);
            assertThat(invalid.anomalies()).as("seed %d", seed).hasSize(1);
        }
    }

    @Test
    void repeatedValuesAsInKnossosTestsAreHandledToo() {
        LinearizabilityChecker checker = new LinearizabilityChecker();
        for (long seed = 1; seed <= 100; seed++) {
            List<Op> history = RegisterSimulation.generate(seed, 6, 1, 200, 0.03, 3);
            assertThat(checker.check(history).valid()).as("seed %d", seed).isEqualTo(Validity.VALID);
            List<Op> corrupted = RegisterSimulation.plantUnwrittenRead(history, seed);
            assertThat(checker.check(corrupted).valid()).as("seed %d, corrupted", seed).isEqualTo(Validity.INVALID);
        }
    }

    @Test
    void staleCorruptionsAreFoundForMostSeeds() {
        // Guards the test above: most corruptions are stale values, not merely unknown ones.
        int stale = 0;
        for (long seed = 1; seed <= 50; seed++) {
            List<Op> history = RegisterSimulation.generate(seed, 6, 2, 150, 0.05);
            List<Op> corrupted = RegisterSimulation.corruptOneRead(history, seed);
            if (corrupted.stream().noneMatch(op -> Long.valueOf(-1).equals(op.value()))) {
                stale++;
            }
        }
        assertThat(stale).isGreaterThan(25);
    }
}
