package io.warden.jepsen.checker;

import io.warden.jepsen.history.Call;
import io.warden.jepsen.history.Functions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One key's register calls turned into {@link RegisterOp}s for the search, with values interned to
 * small ids ({@code values.get(id)}; id 0 is null, "never written").
 *
 * <p>What each outcome means (Jepsen's rules): {@code fail} ops did not happen and are dropped;
 * {@code info} (or unfinished) writes and cases may have happened, so they are optional; an
 * {@code info} read tells nothing and is dropped; {@code ok} ops must all be linearized.
 *
 * <p>An optional op whose written value no remaining op ever expects (no read returned it, no cas
 * compared against it) is dropped too: placing it only moves the register to a value that every
 * later read or cas would then refuse until the next write, so a linearization that places it
 * stays valid without it. This keeps indeterminate writes of unique values, the common case, from
 * multiplying the search.
 */
record RegisterHistory(List<RegisterOp> ops, List<Object> values, int prunedInfoOps) {

    /** True if {@code f} is a register operation. */
    static boolean isRegisterOp(String f) {
        return f.equals(Functions.READ) || f.equals(Functions.WRITE) || f.equals(Functions.CAS);
    }

    /** Prepares one key's calls (all of them register calls). */
    static RegisterHistory of(List<Call> calls) {
        List<Object> values = new ArrayList<>();
        Map<Object, Integer> ids = new HashMap<>();
        values.add(null);
        ids.put(null, RegisterModel.NIL);
        List<RegisterOp> ops = new ArrayList<>();
        for (Call call : calls) {
            if (call.isFail() || call.isIndeterminate() && call.f().equals(Functions.READ)) {
                continue;
            }
            boolean required = call.isOk();
            switch (call.f()) {
                case Functions.READ -> ops.add(new RegisterOp(call, RegisterOp.Kind.READ,
                        intern(call.result(), values, ids), RegisterModel.NIL, true));
                case Functions.WRITE -> ops.add(new RegisterOp(call, RegisterOp.Kind.WRITE,
                        RegisterModel.NIL, intern(call.invoke().value(), values, ids), required));
                case Functions.CAS -> {
                    List<?> pair = casPair(call);
                    ops.add(new RegisterOp(call, RegisterOp.Kind.CAS, intern(pair.get(0), values, ids),
                            intern(pair.get(1), values, ids), required));
                }
                default -> throw new IllegalArgumentException("not a register op: " + call.invoke());
            }
        }
        int before = ops.size();
        List<RegisterOp> kept = pruneUnobserved(ops);
        return new RegisterHistory(kept, values, before - kept.size());
    }

    /** Drops optional ops whose written value nothing expects, until none is left to drop. */
    private static List<RegisterOp> pruneUnobserved(List<RegisterOp> ops) {
        List<RegisterOp> kept = ops;
        while (true) {
            Set<Integer> expected = new HashSet<>();
            for (RegisterOp op : kept) {
                if (op.kind() != RegisterOp.Kind.WRITE) {
                    expected.add(op.expected());
                }
            }
            List<RegisterOp> next = kept.stream()
                    .filter(op -> op.required() || expected.contains(op.written()))
                    .toList();
            if (next.size() == kept.size()) {
                return kept;
            }
            kept = next;
        }
    }

    private static List<?> casPair(Call call) {
        if (call.invoke().value() instanceof List<?> pair && pair.size() == 2) {
            return pair;
        }
        throw new IllegalArgumentException("a cas value must be [expected, new]: " + call.invoke());
    }

    private static int intern(Object value, List<Object> values, Map<Object, Integer> ids) {
        return ids.computeIfAbsent(value, v -> {
            values.add(v);
            return values.size() - 1;
        });
    }

    /** A short description of an op for messages, e.g. {@code cas 1->2 by process 3 [120, 180]}. */
    String describe(RegisterOp op) {
        String what = switch (op.kind()) {
            case READ -> "read -> " + values.get(op.expected());
            case WRITE -> "write " + values.get(op.written());
            case CAS -> "cas " + values.get(op.expected()) + "->" + values.get(op.written());
        };
        Call c = op.call();
        String end = c.isIndeterminate() ? "info" : String.valueOf(c.end());
        return what + " by process " + c.process() + " [" + c.start() + ", " + end + "]";
    }
}
