package io.warden.jepsen.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.jepsen.history.Op;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The checker agrees with the definition (a brute-force search over orders) on thousands of tiny
 * random histories, valid and not, with repeated values, fails and infos: evidence that its
 * prunings (Lowe's memo, reads placed at once, unobserved infos dropped) lose no linearization and
 * invent none. A failure names the seed.
 */
class LinearizabilityCrossCheckTest {

    @Test
    void agreesWithBruteForceOnRandomTinyHistories() {
        LinearizabilityChecker checker = new LinearizabilityChecker();
        int valid = 0;
        int invalid = 0;
        for (long seed = 1; seed <= 4_000; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<Op> history = BruteForceLinearizability.randomHistory(random, 3 + random.nextInt(5));
            boolean expected = BruteForceLinearizability.isLinearizable(history);
            Validity actual = checker.check(history).valid();
            assertThat(actual).as("seed %d: %s", seed, history)
                    .isEqualTo(expected ? Validity.VALID : Validity.INVALID);
            if (expected) {
                valid++;
            } else {
                invalid++;
            }
        }
        assertThat(valid).as("valid histories generated").isGreaterThan(500);
        assertThat(invalid).as("invalid histories generated").isGreaterThan(500);
    }
}
