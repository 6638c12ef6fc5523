package io.warden.jepsen.checker;

import io.warden.jepsen.history.Call;
import io.warden.jepsen.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects a checker's anomalies, keeping the first {@value #LISTED_PER_KIND} of each kind in full
 * (a broken run can produce millions) and counting all of them. Single-threaded.
 */
final class AnomalyLog {
    static final int LISTED_PER_KIND = 100;

    private final List<Anomaly> listed = new ArrayList<>();
    private final Map<String, Long> countByKind = new TreeMap<>();

    /** Records an anomaly; {@code calls} contribute their invokes and completions, in order. */
    void add(String kind, String key, String message, Call... calls) {
        long seen = countByKind.merge(kind, 1L, Long::sum);
        if (seen <= LISTED_PER_KIND) {
            listed.add(new Anomaly(kind, key, message, opsOf(calls)));
        }
    }

    List<Anomaly> anomalies() {
        return listed;
    }

    /** Stats {@code anomalies-<kind>}: every anomaly found, listed or not. */
    void addCounts(Map<String, Long> stats) {
        countByKind.forEach((kind, n) -> stats.put("anomalies-" + kind, n));
    }

    /** A note for each kind with more anomalies than were listed. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        countByKind.forEach((kind, n) -> {
            if (n > LISTED_PER_KIND) {
                notes.add(n + " " + kind + " anomalies found; the first " + LISTED_PER_KIND + " are listed");
            }
        });
        return notes;
    }

    /** The result: invalid iff anything was added. */
    CheckResult result(String checker, List<Op> history, Map<String, Long> stats) {
        Map<String, Long> all = new TreeMap<>(stats);
        addCounts(all);
        Validity valid = listed.isEmpty() ? Validity.VALID : Validity.INVALID;
        return new CheckResult(checker, valid, OpCounts.of(history), listed, all, notes());
    }

    static List<Op> opsOf(Call... calls) {
        List<Op> ops = new ArrayList<>();
        for (Call c : calls) {
            ops.add(c.invoke());
            if (c.completion() != null) {
                ops.add(c.completion());
            }
        }
        return ops;
    }
}
