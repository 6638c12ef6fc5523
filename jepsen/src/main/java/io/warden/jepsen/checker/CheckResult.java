package io.warden.jepsen.checker;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a checker concluded about a history; serializes to JSON (see {@link ResultJson}) as
 * <pre>{"checker":"lock","valid":false,"counts":{"invoke":..,"ok":..,"fail":..,"info":..,"pending":..},
 *  "anomalies":[{"kind":"stale-write","key":"l1","message":"..","ops":[{..op..}, ..]}],
 *  "stats":{"locks":3, ..},"notes":[".."]}</pre>
 *
 * <p>Contract: {@code valid} is {@link Validity#INVALID} iff {@code anomalies} is non-empty;
 * {@link Validity#UNKNOWN} (no anomaly found, but the checker could not finish) comes with a note
 * saying why. {@code counts} covers the whole history given; {@code stats} are checker-specific
 * numbers (sorted by name); {@code notes} are human-readable remarks.
 */
@JsonPropertyOrder({"checker", "valid", "counts", "anomalies", "stats", "notes"})
public record CheckResult(String checker, Validity valid, OpCounts counts, List<Anomaly> anomalies,
                          Map<String, Long> stats, List<String> notes) {

    public CheckResult {
        Objects.requireNonNull(checker, "checker");
        Objects.requireNonNull(valid, "valid");
        Objects.requireNonNull(counts, "counts");
        anomalies = List.copyOf(anomalies);
        stats = Map.copyOf(stats);
        notes = List.copyOf(notes);
        if ((valid == Validity.INVALID) != !anomalies.isEmpty()) {
            throw new IllegalArgumentException("valid=" + valid + " with " + anomalies.size() + " anomalies");
        }
    }

    /** The result of a checker that decided: invalid iff it found anomalies. */
    public static CheckResult of(String checker, OpCounts counts, List<Anomaly> anomalies,
                                 Map<String, Long> stats) {
        Validity valid = anomalies.isEmpty() ? Validity.VALID : Validity.INVALID;
        return new CheckResult(checker, valid, counts, anomalies, stats, List.of());
    }

    /** {@code stats} sorted by name (for stable output). */
    @Override
    public Map<String, Long> stats() {
        return new TreeMap<>(stats);
    }

    /** The anomalies of one kind. */
    public List<Anomaly> anomalies(String kind) {
        return anomalies.stream().filter(a -> a.kind().equals(kind)).toList();
    }
}
