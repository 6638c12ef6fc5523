package io.warden.jepsen.checker;

import static io.warden.jepsen.history.Functions.CAS;
import static io.warden.jepsen.history.Functions.READ;
import static io.warden.jepsen.history.Functions.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.jepsen.history.Op;
import io.warden.jepsen.history.OpType;
import io.warden.jepsen.history.TestHistory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The register checker on hand-made histories: each anomaly it guards against is planted and
 * caught, and valid histories (with concurrency, fails and infos) pass.
 */
class LinearizabilityCheckerTest {
    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    private Validity check(TestHistory h) {
        return checker.check(h.ops()).valid();
    }

    @Test
    void sequentialHistoryIsValidAndReadsOfAFreshRegisterSeeNull() {
        TestHistory h = new TestHistory()
                .invoke(0, READ, "x", null).ok(0, null)
                .invoke(0, WRITE, "x", 1).ok(0)
                .invoke(0, READ, "x", null).ok(0, 1)
                .invoke(0, CAS, "x", List.of(1, 2)).ok(0)
                .invoke(0, CAS, "x", List.of(1, 3)).fail(0)
                .invoke(0, READ, "x", null).ok(0, 2);
        assertThat(check(h)).isEqualTo(Validity.VALID);
    }

    @Test
    void readOfAValueNeverWrittenIsCaught() {
        TestHistory h = new TestHistory().invoke(0, READ, "x", null).ok(0, 1);
        assertThat(check(h)).isEqualTo(Validity.INVALID);
    }

    @Test
    void staleReadIsCaughtAndTheReportNamesTheRead() {
        TestHistory h = new TestHistory()
                .invoke(0, WRITE, "x", 1).ok(0)
                .invoke(1, WRITE, "x", 2).ok(1)
                .invoke(2, READ, "x", null).ok(2, 1); // invoked after 2 was acknowledged
        CheckResult result = checker.check(h.ops());
        assertThat(result.valid()).isEqualTo(Validity.INVALID);
        Anomaly anomaly = result.anomalies().get(0);
        assertThat(anomaly.kind()).isEqualTo("nonlinearizable");
        assertThat(anomaly.key()).isEqualTo("x");
        assertThat(anomaly.ops().get(0)).extracting(Op::process, Op::type, Op::f).containsExactly(2, OpType.INVOKE, READ);
        assertThat(anomaly.message()).contains("read -> 1").contains("register holds 2");
    }

    @Test
    void lostWriteIsCaught() {
        TestHistory h = new TestHistory()
                .invoke(0, WRITE, "x", 1).ok(0)
                .invoke(1, READ, "x", null).ok(1, null); // the acknowledged write vanished
        assertThat(check(h)).isEqualTo(Validity.INVALID);
    }

    @Test
    void aCasThatTookEffectTwiceAfterARetryIsCaught() {
        // The client's cas 0->1 was retried inside the client library and applied twice: once
        // before the write of 0 by process 1, and again after it. The history records it once.
        TestHistory h = new TestHistory()
                .invoke(0, WRITE, "x", 0).ok(0)
                .invoke(0, CAS, "x", List.of(0, 1)).ok(0)
                .invoke(1, WRITE, "x", 0).ok(1)
                .invoke(2, READ, "x", null).ok(2, 1);
        assertThat(check(h)).isEqualTo(Validity.INVALID);
    }

    @Test
    void concurrentOpsMayTakeEffectInEitherOrder() {
        TestHistory h = new TestHistory()
                .invoke(0, WRITE, "x", 1)
                .invoke(1, READ, "x", null)
                .invoke(2, READ, "x", null)
                .ok(1, 1)      // saw the write in flight
                .ok(2, null)   // did not: it took effect before the write
                .ok(0);
        assertThat(check(h)).isEqualTo(Validity.VALID);
    }

    @Test
    void readsMustAgreeOnOneOrderOfConcurrentWrites() {
        TestHistory h = new TestHistory()
                .invoke(0, WRITE, "x", 1).invoke(1, WRITE, "x", 2).ok(0).ok(1)
                .invoke(2, READ, "x", null).ok(2, 1)
                .invoke(3, READ, "x", null).ok(3, 2); // would need 2 to follow 1 after 1 followed 2
        assertThat(check(h)).isEqualTo(Validity.INVALID);
    }

    @Test
    void failedOpsDidNotHappen() {
        TestHistory wrote = new TestHistory()
                .invoke(0, WRITE, "x", 5).fail(0)
                .invoke(1, READ, "x", null).ok(1, 5);
        assertThat(check(wrote)).isEqualTo(Validity.INVALID);
        TestHistory untouched = new TestHistory()
                .invoke(0, WRITE, "x", 5).fail(0)
                .invoke(1, READ, "x", null).ok(1, null);
        assertThat(check(untouched)).isEqualTo(Validity.VALID);
    }

    @Test
    void anInfoWriteMayTakeEffectLateOrNever() {
        TestHistory late = new TestHistory()
                .invoke(0, WRITE, "x", 1).info(0)
                .invoke(1, READ, "x", null).ok(1, null)
                .invoke(1, READ, "x", null).ok(1, 1);
        assertThat(check(late)).isEqualTo(Validity.VALID);
        TestHistory never = new TestHistory()
                .invoke(0, WRITE, "x", 1).info(0)
                .invoke(1, READ, "x", null).ok(1, null);
        assertThat(check(never)).isEqualTo(Validity.VALID);
        TestHistory undone = new TestHistory()
                .invoke(0, WRITE, "x", 1).info(0)
                .invoke(1, READ, "x", null).ok(1, 1)
                .invoke(1, READ, "x", null).ok(1, null); // a write cannot be taken back
        assertThat(check(undone)).isEqualTo(Validity.INVALID);
    }

    @Test
    void anInfoCasAppliesOnlyWhereItsExpectationHeld() {
        TestHistory h = new TestHistory()
                .invoke(0, WRITE, "x", 1).ok(0)
                .invoke(1, CAS, "x", List.of(1, 2)).info(1)
                .invoke(2, READ, "x", null).ok(2, 1)
                .invoke(2, READ, "x", null).ok(2, 2);
        assertThat(check(h)).isEqualTo(Validity.VALID);
        TestHistory impossible = new TestHistory()
                .invoke(0, WRITE, "x", 3).ok(0)
                .invoke(1, CAS, "x", List.of(1, 2)).info(1)
                .invoke(2, READ, "x", null).ok(2, 2);
        assertThat(check(impossible)).isEqualTo(Validity.INVALID);
    }

    @Test
    void knossosClassicAnInfoWriteLinearizableOnlyWhenPlacedLate() {
        // p1's write of 2 timed out at t=3, before p0's write of 3 began; the read at t=20 saw 2.
        // Only placing the indeterminate write after the write of 3 explains it: valid.
        TestHistory h = new TestHistory()
                .at(0).invoke(0, WRITE, "x", 1).at(1).ok(0)
                .at(2).invoke(1, WRITE, "x", 2).at(3).info(1)
                .at(5).invoke(0, WRITE, "x", 3).at(6).ok(0)
                .at(20).invoke(2, READ, "x", null).at(21).ok(2, 2);
        assertThat(check(h)).isEqualTo(Validity.VALID);
    }

    @Test
    void knossosClassicAReadCannotSeeAWriteThatBeganAfterItCompleted() {
        TestHistory h = new TestHistory()
                .at(0).invoke(0, READ, "x", null).at(1).ok(0, 1)
                .at(2).invoke(1, WRITE, "x", 1).at(3).ok(1);
        assertThat(check(h)).isEqualTo(Validity.INVALID);
    }

    @Test
    void keysAreIndependentRegisters() {
        TestHistory valid = new TestHistory()
                .invoke(0, WRITE, "a", 1).ok(0)
                .invoke(1, WRITE, "b", 2).ok(1)
                .invoke(2, READ, "a", null).ok(2, 1)
                .invoke(2, READ, "b", null).ok(2, 2);
        CheckResult result = checker.check(valid.ops());
        assertThat(result.valid()).isEqualTo(Validity.VALID);
        assertThat(result.stats()).containsEntry("keys", 2L).containsEntry("keys-valid", 2L);
        TestHistory crossed = new TestHistory()
                .invoke(0, WRITE, "a", 1).ok(0)
                .invoke(1, READ, "b", null).ok(1, 1); // b was never written
        CheckResult bad = checker.check(crossed.ops());
        assertThat(bad.anomalies()).extracting(Anomaly::key).containsExactly("b");
    }

    @Test
    void anExhaustedBudgetIsUnknownNeverAGuess() {
        // Eight concurrent writes and a read of a value none wrote: proving it invalid means
        // exploring every order of the writes, far beyond a budget of 20 configurations.
        TestHistory h = new TestHistory();
        for (int p = 0; p < 8; p++) {
            h.invoke(p, WRITE, "x", p);
        }
        for (int p = 0; p < 8; p++) {
            h.ok(p);
        }
        h.invoke(9, READ, "x", null).ok(9, 99);
        CheckResult tight = new LinearizabilityChecker(20).check(h.ops());
        assertThat(tight.valid()).isEqualTo(Validity.UNKNOWN);
        assertThat(tight.anomalies()).isEmpty();
        assertThat(tight.notes()).singleElement().asString().contains("budget");
        assertThat(checker.check(h.ops()).valid()).isEqualTo(Validity.INVALID);
    }

    @Test
    void otherOperationsAreIgnored() {
        TestHistory h = new TestHistory()
                .invoke(0, "acquire", "l", null).ok(0, 7)
                .invoke(0, WRITE, "x", 1).ok(0);
        CheckResult result = checker.check(h.ops());
        assertThat(result.valid()).isEqualTo(Validity.VALID);
        assertThat(result.stats()).containsEntry("ignored-ops", 1L).containsEntry("register-ops", 1L);
    }
}
