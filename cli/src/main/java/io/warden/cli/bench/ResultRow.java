package io.warden.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measurement: flat, ordered fields with the same names as the peer harness's result rows
 * (backend, workload, param, ops_per_s, cycle_p50_ms, ...), so a file of them can be tabulated
 * beside ZooKeeper's and etcd's by that harness's report.
 */
public final class ResultRow {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public ResultRow put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** {@code prefix_n}, {@code prefix_p50_ms}, {@code prefix_p99_ms}, {@code prefix_max_ms}. */
    public ResultRow latency(String prefix, Latencies l) {
        put(prefix + "_n", l.count());
        put(prefix + "_p50_ms", l.percentileMillis(0.50));
        put(prefix + "_p99_ms", l.percentileMillis(0.99));
        put(prefix + "_max_ms", l.maxMillis());
        return this;
    }

    public Object get(String key) {
        return fields.get(key);
    }

    public double number(String key) {
        return fields.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    public String text(String key) {
        Object v = fields.get(key);
        return v == null ? "" : v.toString();
    }

    /** The fields, NaN and infinities as null (JSON has no NaN). */
    public Map<String, Object> fields() {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, v instanceof Double d && (d.isNaN() || d.isInfinite()) ? null : v));
        return out;
    }
}
