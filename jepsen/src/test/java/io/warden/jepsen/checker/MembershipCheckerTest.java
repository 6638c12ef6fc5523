package io.warden.jepsen.checker;

import static io.warden.jepsen.history.Functions.ACQUIRE;
import static io.warden.jepsen.history.Functions.JOIN;
import static io.warden.jepsen.history.Functions.KEEPALIVE;
import static io.warden.jepsen.history.Functions.LEAVE;
import static io.warden.jepsen.history.Functions.MEMBERS;
import static io.warden.jepsen.history.Functions.OPEN_SESSION;
import static io.warden.jepsen.history.Functions.RELEASE;
import static io.warden.jepsen.history.Functions.SESSION_EXPIRED;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.jepsen.history.TestHistory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The membership/sessions checker, with a session timeout of 100 ns and a lock-delay of 50 ns:
 * each anomaly is planted and caught; a correct run passes.
 */
class MembershipCheckerTest {
    private final MembershipChecker checker = new MembershipChecker(100, 50);

    /** Session 1 (m1) joins, is kept alive and leaves; session 2 (m2) joins and expires. */
    private static TestHistory lives() {
        return new TestHistory()
                .at(0).invoke(0, OPEN_SESSION, null, null, 1).at(1).ok(0)
                .at(2).invoke(0, JOIN, "g", "m1", 1).at(3).ok(0)
                .at(4).invoke(1, OPEN_SESSION, null, null, 2).at(5).ok(1)
                .at(6).invoke(1, JOIN, "g", "m2", 2).at(7).ok(1)
                .at(10).invoke(2, MEMBERS, "g", null).at(12).ok(2, List.of("m1", "m2"))
                .at(40).invoke(0, KEEPALIVE, null, null, 1).at(41).ok(0)
                .at(50).invoke(0, LEAVE, "g", "m1", 1).at(51).ok(0)
                .at(60).invoke(2, MEMBERS, "g", null).at(61).ok(2, List.of("m2"))
                .at(150).invoke(2, MEMBERS, "g", null).at(160).ok(2, List.of())  // m2 may be gone
                .at(200).invoke(9, SESSION_EXPIRED, null, null, 2).at(201).ok(9);
    }

    @Test
    void aCorrectRunIsValid() {
        CheckResult result = checker.check(lives().ops());
        assertThat(result.valid()).as("%s", result.anomalies()).isEqualTo(Validity.VALID);
        assertThat(result.stats()).containsEntry("reads", 3L).containsEntry("sessions-expired", 1L);
    }

    @Test
    void aMemberListedAfterItsSessionExpiredIsCaught() {
        TestHistory h = lives().at(210).invoke(2, MEMBERS, "g", null).at(211).ok(2, List.of("m2"));
        CheckResult result = checker.check(h.ops());
        assertThat(result.anomalies()).extracting(Anomaly::kind).containsExactly("listed-not-member");
        assertThat(result.anomalies().get(0).message()).contains("m2");
    }

    @Test
    void aMemberListedAfterItLeftOrBeforeItJoinedIsCaught() {
        TestHistory left = lives().at(210).invoke(2, MEMBERS, "g", null).at(211).ok(2, List.of("m1"));
        assertThat(checker.check(left.ops()).anomalies()).extracting(Anomaly::kind).containsExactly("listed-not-member");
        TestHistory early = new TestHistory()
                .at(0).invoke(2, MEMBERS, "g", null).at(1).ok(2, List.of("m3"))
                .at(5).invoke(0, JOIN, "g", "m3", 3).at(6).ok(0);
        assertThat(checker.check(early.ops()).anomalies()).extracting(Anomaly::kind).containsExactly("listed-not-member");
    }

    @Test
    void aLiveMemberMissingFromAListIsCaught() {
        TestHistory h = new TestHistory()
                .at(0).invoke(0, OPEN_SESSION, null, null, 1).at(1).ok(0)
                .at(2).invoke(0, JOIN, "g", "m1", 1).at(3).ok(0)
                .at(10).invoke(2, MEMBERS, "g", null).at(12).ok(2, List.of());
        assertThat(checker.check(h.ops()).anomalies()).extracting(Anomaly::kind).containsExactly("missing-live-member");
    }

    @Test
    void aLiveSessionExpiredByAFailOverIsCaught() {
        TestHistory h = new TestHistory()
                .at(0).invoke(0, OPEN_SESSION, null, null, 1).at(1).ok(0)
                .at(40).invoke(0, KEEPALIVE, null, null, 1).at(41).ok(0)   // live until >= 140
                .at(80).invoke(9, SESSION_EXPIRED, null, null, 1).at(90).ok(9);
        assertThat(checker.check(h.ops()).anomalies()).extracting(Anomaly::kind).containsExactly("live-session-expired");
    }

    @Test
    void aKeepaliveThatSucceedsAfterExpiryIsCaught() {
        TestHistory h = new TestHistory()
                .at(0).invoke(0, OPEN_SESSION, null, null, 1).at(1).ok(0)
                .at(150).invoke(9, SESSION_EXPIRED, null, null, 1).at(151).ok(9)
                .at(160).invoke(0, KEEPALIVE, null, null, 1).at(161).ok(0);
        assertThat(checker.check(h.ops()).anomalies()).extracting(Anomaly::kind).containsExactly("live-session-expired");
    }

    @Test
    void aReleaseWhoseOutcomeIsUnknownMayHaveFreedTheLock() {
        // The release timed out (info): it may have taken effect at once, so the next grant is no violation.
        TestHistory h = new TestHistory()
                .at(0).invoke(0, OPEN_SESSION, null, null, 1).at(1).ok(0)
                .at(2).invoke(0, ACQUIRE, "L", null, 1).at(3).ok(0, 1)
                .at(50).invoke(0, RELEASE, "L", 1, 1).at(51).info(0)
                .at(60).invoke(1, OPEN_SESSION, null, null, 2).at(61).ok(1)
                .at(105).invoke(1, ACQUIRE, "L", null, 2)
                .at(110).invoke(9, SESSION_EXPIRED, null, null, 1).at(120).ok(9)
                .at(130).ok(1, 2);
        assertThat(checker.check(h.ops()).valid()).isEqualTo(Validity.VALID);
    }

    /** Session 1 holds L and expires (no earlier than 100); session 2 acquires L, done at {@code grantedAt}. */
    private static TestHistory expiredHolder(long grantedAt, boolean releasedFirst) {
        TestHistory h = new TestHistory()
                .at(0).invoke(0, OPEN_SESSION, null, null, 1).at(1).ok(0)
                .at(2).invoke(0, ACQUIRE, "L", null, 1).at(3).ok(0, 1);
        if (releasedFirst) {
            h.at(50).invoke(0, RELEASE, "L", 1, 1).at(51).ok(0);
        }
        return h.at(60).invoke(1, OPEN_SESSION, null, null, 2).at(61).ok(1)
                .at(105).invoke(1, ACQUIRE, "L", null, 2)
                .at(110).invoke(9, SESSION_EXPIRED, null, null, 1).at(120).ok(9)
                .at(121).invoke(0, RELEASE, "L", 1, 1).at(122).ok(0, null, "lost: session expired")
                .at(grantedAt).ok(1, 2);
    }

    @Test
    void aLockGrantedBeforeLockDelayElapsedIsCaught() {
        CheckResult result = checker.check(expiredHolder(130, false).ops());
        assertThat(result.anomalies()).extracting(Anomaly::kind).containsExactly("lock-delay-violated");
    }

    @Test
    void aLockGrantedAfterLockDelayOrAfterAReleaseIsValid() {
        assertThat(checker.check(expiredHolder(160, false).ops()).valid()).isEqualTo(Validity.VALID);
        assertThat(checker.check(expiredHolder(130, true).ops()).valid()).isEqualTo(Validity.VALID);
    }
}
