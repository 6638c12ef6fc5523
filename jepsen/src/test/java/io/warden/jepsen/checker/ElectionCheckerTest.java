package io.warden.jepsen.checker;

import static io.warden.jepsen.history.Functions.CAMPAIGN;
import static io.warden.jepsen.history.Functions.LOST;
import static io.warden.jepsen.history.Functions.RESIGN;
import static io.warden.jepsen.history.Functions.SESSION_EXPIRED;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.jepsen.history.TestHistory;
import org.junit.jupiter.api.Test;

/** The election checker: double leaders and token anomalies are planted and caught. */
class ElectionCheckerTest {
    private final ElectionChecker checker = new ElectionChecker();

    @Test
    void successiveLeadersEndedByResignLossOrExpiryAreValid() {
        TestHistory h = new TestHistory()
                .at(0).invoke(0, CAMPAIGN, "E", "a", 1).at(5).ok(0, 1)
                .at(3).invoke(1, CAMPAIGN, "E", "b", 2)
                .at(10).invoke(0, RESIGN, "E", null, 1).at(11).ok(0)
                .at(15).ok(1, 2)
                .at(20).invoke(1, LOST, "E", null, 2).at(21).ok(1)
                .at(18).invoke(2, CAMPAIGN, "E", "c", 3).at(30).ok(2, 3)
                .at(35).invoke(3, CAMPAIGN, "E", "d", 4)
                .at(40).invoke(9, SESSION_EXPIRED, null, null, 3).at(41).ok(9)
                .at(45).ok(3, 4)
                .at(50).invoke(4, CAMPAIGN, "E", "e", 5).at(60).info(4);
        CheckResult result = checker.check(h.ops());
        assertThat(result.valid()).as("%s", result.anomalies()).isEqualTo(Validity.VALID);
        assertThat(result.stats()).containsEntry("leaderships", 4L);
    }

    @Test
    void twoOverlappingLeadersAreCaught() {
        TestHistory h = new TestHistory()
                .at(0).invoke(0, CAMPAIGN, "E", "a", 1).at(5).ok(0, 1)
                .at(10).invoke(1, CAMPAIGN, "E", "b", 2).at(15).ok(1, 2)
                .at(20).invoke(0, RESIGN, "E", null, 1).at(21).ok(0);
        CheckResult result = checker.check(h.ops());
        assertThat(result.anomalies()).extracting(Anomaly::kind).containsExactly("overlapping-leaders");
        assertThat(result.anomalies().get(0).ops()).hasSize(6); // campaign + resign, campaign
    }

    @Test
    void aFailedResignEndsNothing() {
        TestHistory h = new TestHistory()
                .at(0).invoke(0, CAMPAIGN, "E", "a", 1).at(5).ok(0, 1)
                .at(6).invoke(0, RESIGN, "E", null, 1).at(7).fail(0)
                .at(10).invoke(1, CAMPAIGN, "E", "b", 2).at(15).ok(1, 2);
        assertThat(checker.check(h.ops()).anomalies()).extracting(Anomaly::kind).containsExactly("overlapping-leaders");
    }

    @Test
    void oneTokenForTwoLeadersIsCaught() {
        TestHistory h = new TestHistory()
                .at(0).invoke(0, CAMPAIGN, "E", "a", 1).at(5).ok(0, 1)
                .at(6).invoke(0, RESIGN, "E", null, 1).at(7).ok(0)
                .at(10).invoke(1, CAMPAIGN, "E", "b", 2).at(15).ok(1, 1);
        assertThat(checker.check(h.ops()).anomalies()).extracting(Anomaly::kind).containsExactly("duplicate-token");
    }

    @Test
    void aLaterLeaderWithALowerTokenIsCaught() {
        TestHistory h = new TestHistory()
                .at(0).invoke(0, CAMPAIGN, "E", "a", 1).at(5).ok(0, 5)
                .at(6).invoke(0, RESIGN, "E", null, 1).at(7).ok(0)
                .at(10).invoke(1, CAMPAIGN, "E", "b", 2).at(12).ok(1, 4);
        assertThat(checker.check(h.ops()).anomalies()).extracting(Anomaly::kind).containsExactly("token-regression");
    }
}
