package io.warden.jepsen.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.jepsen.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker handles run-sized histories in seconds (figures printed for docs/jepsen.md). */
class LinearizabilityPerformanceTest {

    @Test
    void twoThousandOpsOnFiveKeysFromTenProcessesUnderTenSeconds() {
        List<Op> history = RegisterSimulation.generate(42, 10, 5, 2_000, 0.02);
        long start = System.nanoTime();
        CheckResult result = new LinearizabilityChecker().check(history);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("linearizability: 2000 ops, 5 keys, 10 processes: %d ms, %s%n", millis, result.stats());
        assertThat(result.valid()).isEqualTo(Validity.VALID);
        assertThat(millis).isLessThan(10_000);
    }

    @Test
    void fiveThousandOpsOnOneKeyUnderTenSeconds() {
        List<Op> history = RegisterSimulation.generate(7, 10, 1, 5_000, 0.01);
        long start = System.nanoTime();
        CheckResult result = new LinearizabilityChecker().check(history);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("linearizability: 5000 ops, 1 key, 10 processes: %d ms, %s%n", millis, result.stats());
        assertThat(result.valid()).isEqualTo(Validity.VALID);
        assertThat(millis).isLessThan(10_000);
    }
}
