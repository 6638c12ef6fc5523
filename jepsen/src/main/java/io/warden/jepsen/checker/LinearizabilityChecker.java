package io.warden.jepsen.checker;

import io.warden.jepsen.history.Call;
import io.warden.jepsen.history.History;
import io.warden.jepsen.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that the {@code read}, {@code write} and {@code cas} ops of a history are linearizable
 * for a register per key (a read of a register never written returns null): Wing &amp; Gong's
 * search with Lowe's memo, the algorithm of Knossos and Porcupine (see
 * {@link LinearizationSearch}). Keys are independent registers, so each is checked alone
 * (P-compositionality); keys are checked in parallel.
 *
 * <p>Outcomes follow Jepsen: {@code ok} ops took effect once, between invoke and completion;
 * {@code fail} ops did not; {@code info} (and unfinished) ops may take effect at any time after
 * their invoke, or never. A cas's value is {@code [expected, new]}; a read's result is its
 * completion's value. Other {@code f}s are ignored.
 *
 * <p>Result: one {@code nonlinearizable} anomaly per invalid key, naming the op that could not be
 * placed after the longest linearizable prefix the search found, followed by the last ops of that
 * prefix. A key whose search explores more than the budget of configurations is {@code unknown}
 * (with a note), never guessed. Stats: {@code keys}, {@code keys-valid}, {@code keys-invalid},
 * {@code keys-unknown}, {@code register-ops} (searched), {@code pruned-info-ops} (indeterminate
 * writes nothing observed, see {@link RegisterHistory}), {@code ignored-ops} (not register ops),
 * {@code configurations} (explored, over all keys).
 *
 * <p>Cost: with unique written values (what the register workload should write) and ten
 * processes, thousands of ops per key take tens of milliseconds, valid or not. Repeated values
 * with many indeterminate ops make proving a violation exponential (Knossos's weak spot too): such
 * a key ends {@code unknown} at the budget. Memory: the memo of a key takes up to 48 bytes a
 * configuration (about 100 MB at the default budget), for each key being searched at once.
 * Threading: stateless and thread-safe; runs keys on the common fork-join pool.
 */
public final class LinearizabilityChecker implements Checker {
    /** The default budget of configurations explored per key. */
    public static final long DEFAULT_MAX_CONFIGURATIONS = 2_000_000;

    private final long maxConfigurationsPerKey;

    /** A checker with {@link #DEFAULT_MAX_CONFIGURATIONS}. */
    public LinearizabilityChecker() {
        this(DEFAULT_MAX_CONFIGURATIONS);
    }

    /** A checker that gives up on a key (verdict unknown) after this many configurations. */
    public LinearizabilityChecker(long maxConfigurationsPerKey) {
        if (maxConfigurationsPerKey < 1) {
            throw new IllegalArgumentException("maxConfigurationsPerKey must be >= 1");
        }
        this.maxConfigurationsPerKey = maxConfigurationsPerKey;
    }

    @Override
    public CheckResult check(List<Op> history) {
        Map<String, List<Call>> byKey = new LinkedHashMap<>();
        long ignored = 0;
        for (Call call : History.calls(history)) {
            if (RegisterHistory.isRegisterOp(call.f())) {
                byKey.computeIfAbsent(call.key(), k -> new ArrayList<>()).add(call);
            } else {
                ignored++;
            }
        }
        Map<String, KeyVerdict> verdicts = new HashMap<>();
        byKey.entrySet().parallelStream()
                .map(e -> checkKey(e.getKey(), e.getValue()))
                .toList()
                .forEach(v -> verdicts.put(v.key(), v));
        return summarize(history, verdicts, ignored);
    }

    private KeyVerdict checkKey(String key, List<Call> calls) {
        RegisterHistory prepared = RegisterHistory.of(calls);
        SearchOutcome outcome = new LinearizationSearch(prepared.ops(), maxConfigurationsPerKey).run();
        Anomaly anomaly = outcome.validity() == Validity.INVALID ? describe(key, prepared, outcome.stuck()) : null;
        return new KeyVerdict(key, prepared.ops().size(), prepared.prunedInfoOps(), outcome, anomaly);
    }

    private static Anomaly describe(String key, RegisterHistory h, SearchOutcome.Stuck stuck) {
        String last = stuck.tail().isEmpty() ? "none" : h.describe(stuck.tail().get(stuck.tail().size() - 1));
        String message = "key " + key + " is not linearizable: after the longest linearizable prefix ("
                + stuck.prefixLength() + " ops, last: " + last + ") the register holds "
                + h.values().get(stuck.state()) + "; no order of the remaining ops lets "
                + h.describe(stuck.op()) + " take effect before it completed";
        List<Op> ops = new ArrayList<>();
        addOps(ops, stuck.op());
        stuck.tail().forEach(op -> addOps(ops, op));
        return new Anomaly("nonlinearizable", key, message, ops);
    }

    private static void addOps(List<Op> ops, RegisterOp op) {
        ops.add(op.call().invoke());
        if (op.call().completion() != null) {
            ops.add(op.call().completion());
        }
    }

    private CheckResult summarize(List<Op> history, Map<String, KeyVerdict> verdicts, long ignored) {
        List<KeyVerdict> sorted = verdicts.values().stream()
                .sorted(Comparator.comparing(KeyVerdict::key, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        Validity valid = Validity.VALID;
        List<Anomaly> anomalies = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long[] byValidity = new long[Validity.values().length];
        long ops = 0;
        long pruned = 0;
        long configurations = 0;
        for (KeyVerdict v : sorted) {
            Validity kv = v.outcome().validity();
            valid = valid.and(kv);
            byValidity[kv.ordinal()]++;
            ops += v.ops();
            pruned += v.prunedInfoOps();
            configurations += v.outcome().configurations();
            if (v.anomaly() != null) {
                anomalies.add(v.anomaly());
            }
            if (kv == Validity.UNKNOWN) {
                notes.add("key " + v.key() + ": search budget of " + maxConfigurationsPerKey
                        + " configurations exhausted; verdict unknown");
            }
        }
        Map<String, Long> stats = Map.of(
                "keys", (long) sorted.size(),
                "keys-valid", byValidity[Validity.VALID.ordinal()],
                "keys-invalid", byValidity[Validity.INVALID.ordinal()],
                "keys-unknown", byValidity[Validity.UNKNOWN.ordinal()],
                "register-ops", ops,
                "pruned-info-ops", pruned,
                "ignored-ops", ignored,
                "configurations", configurations);
        return new CheckResult("linearizability", valid, OpCounts.of(history), anomalies, stats, notes);
    }

    /** One key's verdict. */
    private record KeyVerdict(String key, long ops, long prunedInfoOps, SearchOutcome outcome, Anomaly anomaly) {}
}
