package io.warden.jepsen.checker;

import static io.warden.jepsen.history.Functions.ACQUIRE;
import static io.warden.jepsen.history.Functions.RELEASE;
import static io.warden.jepsen.history.Functions.SESSION_EXPIRED;
import static io.warden.jepsen.history.Functions.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.jepsen.history.TestHistory;
import org.junit.jupiter.api.Test;

/** The lock checker: each anomaly of the lock workload is planted and caught; correct runs pass. */
class LockCheckerTest {
    private final LockChecker checker = new LockChecker();

    /** Two clients take turns on lock L; a third's acquire times out; a stale write is refused. */
    private static TestHistory turns() {
        return new TestHistory()
                .at(0).invoke(0, ACQUIRE, "L", null, 1).at(10).ok(0, 1)
                .at(5).invoke(1, ACQUIRE, "L", null, 2)           // waits for the lock
                .at(11).invoke(0, WRITE, "L", 1, 1).at(12).ok(0)
                .at(13).invoke(0, RELEASE, "L", 1, 1).at(14).ok(0)
                .at(20).ok(1, 2)
                .at(21).invoke(1, WRITE, "L", 2, 2).at(22).ok(1)
                .at(23).invoke(0, WRITE, "L", 1, 1).at(24).fail(0)   // the resource refused token 1
                .at(25).invoke(2, ACQUIRE, "L", null, 3).at(30).info(2)
                .at(31).invoke(1, RELEASE, "L", 2, 2).at(32).ok(1);
    }

    @Test
    void takingTurnsIsValid() {
        CheckResult result = checker.check(turns().ops());
        assertThat(result.valid()).isEqualTo(Validity.VALID);
        assertThat(result.stats()).containsEntry("grants", 2L).containsEntry("writes", 2L);
    }

    @Test
    void aHolderLostWithItsSessionWhileItsWriteWasInFlightIsValid() {
        // Holder 1 is paused mid-write; its session expires; holder 2 is granted and writes. The
        // resource took token 1 first, then 2 — fencing did its job; no one broke mutual exclusion.
        TestHistory h = new TestHistory()
                .at(0).invoke(0, ACQUIRE, "L", null, 1).at(1).ok(0, 1)
                .at(10).invoke(0, WRITE, "L", 1, 1)
                .at(15).invoke(9, SESSION_EXPIRED, null, null, 1).at(16).ok(9)
                .at(17).invoke(1, ACQUIRE, "L", null, 2).at(18).ok(1, 2)
                .at(20).invoke(1, WRITE, "L", 2, 2).at(25).ok(1)
                .at(30).ok(0)
                .at(31).invoke(0, RELEASE, "L", 1, 1).at(32).ok(0, null, "lost: session expired");
        assertThat(checker.check(h.ops()).valid()).isEqualTo(Validity.VALID);
    }

    @Test
    void theSameTokenGrantedTwiceIsCaught() {
        TestHistory h = new TestHistory()
                .at(0).invoke(0, ACQUIRE, "L", null, 1).at(1).ok(0, 5)
                .at(2).invoke(0, RELEASE, "L", 5, 1).at(3).ok(0)
                .at(4).invoke(1, ACQUIRE, "L", null, 2).at(5).ok(1, 5);
        CheckResult result = checker.check(h.ops());
        assertThat(result.anomalies()).extracting(Anomaly::kind).containsExactly("duplicate-token");
    }

    @Test
    void aTokenRegressionAcrossGrantsIsCaught() {
        TestHistory h = new TestHistory()
                .at(0).invoke(0, ACQUIRE, "L", null, 1).at(10).ok(0, 7)
                .at(11).invoke(0, RELEASE, "L", 7, 1).at(12).ok(0)
                .at(20).invoke(1, ACQUIRE, "L", null, 2).at(21).ok(1, 3);
        assertThat(checker.check(h.ops()).anomalies()).extracting(Anomaly::kind).containsExactly("token-regression");
    }

    @Test
    void aStaleWriteAcceptedAfterANewerTokenIsCaught() {
        TestHistory h = new TestHistory()
                .at(10).invoke(1, WRITE, "L", 2, 2).at(11).ok(1)
                .at(20).invoke(0, WRITE, "L", 1, 1).at(21).ok(0); // accepted: the resource regressed
        CheckResult result = checker.check(h.ops());
        assertThat(result.anomalies()).extracting(Anomaly::kind).containsExactly("stale-write");
        assertThat(result.anomalies().get(0).ops()).hasSize(4);
    }

    @Test
    void twoHoldersWritingAtOnceIsCaught() {
        // A double grant: token 1 was never released, yet token 2 was granted and both wrote at once.
        TestHistory h = new TestHistory()
                .at(0).invoke(0, ACQUIRE, "L", null, 1).at(1).ok(0, 1)
                .at(2).invoke(1, ACQUIRE, "L", null, 2).at(3).ok(1, 2)
                .at(10).invoke(0, WRITE, "L", 1, 1)
                .at(15).invoke(1, WRITE, "L", 2, 2)
                .at(20).ok(0)
                .at(25).ok(1);
        CheckResult result = checker.check(h.ops());
        assertThat(result.anomalies()).extracting(Anomaly::kind).containsExactly("overlapping-holders");
        assertThat(result.valid()).isEqualTo(Validity.INVALID);
    }

    @Test
    void aGrantToAnExpiredSessionIsCaught() {
        TestHistory h = new TestHistory()
                .at(0).invoke(9, SESSION_EXPIRED, null, null, 1).at(1).ok(9)
                .at(5).invoke(0, ACQUIRE, "L", null, 1).at(6).ok(0, 3);
        assertThat(checker.check(h.ops()).anomalies()).extracting(Anomaly::kind)
                .containsExactly("grant-to-expired-session");
    }

    @Test
    void locksAreCheckedSeparately() {
        TestHistory h = new TestHistory()
                .at(0).invoke(0, ACQUIRE, "A", null, 1).at(1).ok(0, 5)
                .at(2).invoke(1, ACQUIRE, "B", null, 2).at(3).ok(1, 4)
                .at(4).invoke(0, WRITE, "A", 5, 1).at(5).ok(0)
                .at(6).invoke(1, WRITE, "B", 4, 2).at(7).ok(1);
        assertThat(checker.check(h.ops()).valid()).isEqualTo(Validity.VALID);
    }
}
