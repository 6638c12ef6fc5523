package io.warden.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Back-off with jitter, and an overloaded replica's Retry-After waited out in full. */
class RetryPolicyTest {
    private static final RetryPolicy POLICY = new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofSeconds(15));

    @ParameterizedTest(name = "attempt {0}, Retry-After {1} ms: delay in [{2}, {3}]")
    @CsvSource({
        "0, 0, 10, 20",        // the first step, jittered over its upper half
        "3, 0, 80, 160",       // doubling
        "10, 0, 250, 500",     // capped at maxBackoff
        "0, 1000, 1000, 1500", // Retry-After beyond the step: at least it, plus up to half again
        "10, 300, 300, 500",   // Retry-After within the step: the step, but never below Retry-After
    })
    void delaysStayWithinTheirBounds(int attempt, long retryAfter, long min, long max) {
        RandomGenerator random = new SplittableRandom(attempt * 31L + retryAfter);
        long lowest = Long.MAX_VALUE;
        long highest = Long.MIN_VALUE;
        for (int i = 0; i < 2_000; i++) {
            long d = POLICY.backoffMillis(attempt, retryAfter, random);
            lowest = Math.min(lowest, d);
            highest = Math.max(highest, d);
        }
        assertThat(lowest).isGreaterThanOrEqualTo(min);
        assertThat(highest).isLessThanOrEqualTo(max);
        // Jitter: clients refused together spread out rather than retrying in step.
        assertThat(highest - lowest).isGreaterThan((max - min) / 2);
    }
}
