package io.warden.jepsen.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Reading a history as operations: pairs each invocation with its completion. */
public final class History {
    private History() {}

    /**
     * The history's calls in invocation order. Each process's ops must alternate invoke,
     * completion (same {@code f} and {@code key}), and nothing may follow an {@code info}; a final
     * invoke with no completion becomes a call without one. Throws {@link IllegalArgumentException},
     * naming the op's position, when the history breaks these rules (a harness bug, not an anomaly).
     */
    public static List<Call> calls(List<Op> history) {
        List<Call> calls = new ArrayList<>();
        Map<Integer, Integer> open = new HashMap<>();
        Set<Integer> retired = new HashSet<>();
        for (int i = 0; i < history.size(); i++) {
            Op op = Objects.requireNonNull(history.get(i), "op");
            int p = op.process();
            if (retired.contains(p)) {
                throw malformed(i, op, "process " + p + " was retired by an info op");
            }
            if (op.isInvoke()) {
                if (open.containsKey(p)) {
                    throw malformed(i, op, "process " + p + " already has an operation in flight");
                }
                open.put(p, calls.size());
                calls.add(new Call(op, null, i, -1));
                continue;
            }
            Integer slot = open.remove(p);
            if (slot == null) {
                throw malformed(i, op, "completion without an invocation");
            }
            Op invoke = calls.get(slot).invoke();
            if (!invoke.f().equals(op.f()) || !Objects.equals(invoke.key(), op.key())) {
                throw malformed(i, op, "completion does not match its invocation " + invoke);
            }
            calls.set(slot, new Call(invoke, op, calls.get(slot).index(), i));
            if (op.type() == OpType.INFO) {
                retired.add(p);
            }
        }
        return calls;
    }

    private static IllegalArgumentException malformed(int index, Op op, String why) {
        return new IllegalArgumentException("malformed history at op " + index + " (" + op + "): " + why);
    }
}
