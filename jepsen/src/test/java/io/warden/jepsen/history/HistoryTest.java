package io.warden.jepsen.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

    @Test
    void pairsEachInvocationWithItsProcesssNextCompletion() {
        List<Op> ops = new TestHistory()
                .invoke(0, Functions.WRITE, "x", 1L)
                .invoke(1, Functions.READ, "x", null)
                .ok(1, 1L)
                .ok(0)
                .invoke(2, Functions.CAS, "x", List.of(1, 2))
                .ops();
        List<Call> calls = History.calls(ops);
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0).completion()).isEqualTo(ops.get(3));
        assertThat(calls.get(1).result()).isEqualTo(1L);
        assertThat(calls.get(1).precedes(calls.get(2))).isTrue();
        assertThat(calls.get(0).precedes(calls.get(1))).isFalse();
        Call unfinished = calls.get(2);
        assertThat(unfinished.isIndeterminate()).isTrue();
        assertThat(unfinished.end()).isEqualTo(Long.MAX_VALUE);
        assertThat(unfinished.invoke().value()).isEqualTo(List.of(1L, 2L));
    }

    @Test
    void rejectsHistoriesThatBreakTheRecordingRules() {
        Op invoke = new Op(0, OpType.INVOKE, "read", "x", null, 1);
        Op ok = new Op(0, OpType.OK, "read", "x", null, 2);
        Op info = new Op(0, OpType.INFO, "read", "x", null, 2);
        Op otherKey = new Op(0, OpType.OK, "read", "y", null, 2);
        assertThatThrownBy(() -> History.calls(List.of(ok))).hasMessageContaining("without an invocation");
        assertThatThrownBy(() -> History.calls(List.of(invoke, invoke))).hasMessageContaining("in flight");
        assertThatThrownBy(() -> History.calls(List.of(invoke, info, invoke))).hasMessageContaining("retired");
        assertThatThrownBy(() -> History.calls(List.of(invoke, otherKey))).hasMessageContaining("does not match");
    }

    @Test
    void opsValidateAndNormalizeTheirFields() {
        assertThat(new Op(1, OpType.OK, "cas", "x", List.of(1, 2), 5).value()).isEqualTo(List.of(1L, 2L));
        assertThatThrownBy(() -> new Op(-1, OpType.OK, "read", "x", null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Op(0, OpType.OK, "read x", "x", null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Op(0, OpType.OK, "read", "x", new Object(), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
