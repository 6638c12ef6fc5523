package io.warden.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints rows as they come, as markdown table rows under the same columns as the peer harness's
 * report, and at the end one summary line per workload: {@code cycles/s} (W1), {@code handoffs/s}
 * (W2), {@code sessions} (W3), {@code failover} median/p99 (W4).
 */
public final class BenchReport {
    private record Columns(String title, String[] heads, String[] keys) {}

    private static final Columns W1 = new Columns("W1 uncontended (each client its own lock; cycle = acquire + release)",
        new String[] {"ops/s", "cycle p50 ms", "cycle p99 ms", "cycle max ms", "acquire p50 ms", "release p50 ms", "srv msgs/cycle", "errors"},
        new String[] {"ops_per_s", "cycle_p50_ms", "cycle_p99_ms", "cycle_max_ms", "acquire_p50_ms", "release_p50_ms", "srv_msgs_per_op", "errors"});
    private static final Columns W2 = new Columns("W2 contended (C clients, one lock; latency = acquire wait)",
        new String[] {"handoffs/s", "acquire p50 ms", "acquire p99 ms", "acquire max ms", "min acq/client", "max acq/client", "min/max", "errors"},
        new String[] {"ops_per_s", "acquire_p50_ms", "acquire_p99_ms", "acquire_max_ms", "min_per_client", "max_per_client", "fairness_min_over_max", "errors"});
    private static final Columns W3 = new Columns("W3 sessions (kept alive; probe = lock acquire+release every 200 ms while they live)",
        new String[] {"created", "create/s", "create s", "probe p50 ms", "probe p99 ms", "probe max ms", "probe fails", "alive", "healthy", "server RSS MB (3 nodes)"},
        new String[] {"created", "create_per_s", "create_s", "probe_p50_ms", "probe_p99_ms", "probe_max_ms", "probe_fail", "alive", "healthy", "server_rss_mb"});
    private static final Columns W4 = new Columns("W4 failover (kill -9 master, client holds nothing; time to next successful acquire)",
        new String[] {"killed", "lock ok after ms", "new master ms", "attempts", "errors", "first error", "rejoin ms", "session"},
        new String[] {"killed_node", "recovery_ms", "new_leader_ms", "attempts", "errors", "first_error", "rejoin_ms", "session_state"});

    private final PrintWriter out;
    private final List<ResultRow> rows = new ArrayList<>();
    private String lastWorkload = "";

    public BenchReport(PrintWriter out) {
        this.out = out;
    }

    public List<ResultRow> rows() {
        return rows;
    }

    /** Records a row; prints it under its table's header when {@code print}. */
    public synchronized void add(ResultRow row, boolean print) {
        rows.add(row);
        if (!print) return;
        String wl = row.text("workload");
        Columns c = columns(wl);
        if (c == null) {
            out.println("| warden | " + wl + " | " + row.text("param") + " | " + row.text("error") + " |");
        } else {
            if (!wl.equals(lastWorkload)) {
                out.println();
                out.println("### " + c.title);
                out.println();
                StringBuilder h = new StringBuilder("| backend | param |");
                StringBuilder rule = new StringBuilder("|---|---|");
                for (String head : c.heads) {
                    h.append(' ').append(head).append(" |");
                    rule.append("---|");
                }
                out.println(h);
                out.println(rule);
                lastWorkload = wl;
            }
            StringBuilder line = new StringBuilder("| warden | ").append(row.text("param")).append(" |");
            for (String k : c.keys) line.append(' ').append(cell(row.get(k))).append(" |");
            out.println(line);
        }
        out.flush();
    }

    /** One line per workload run, the figure each target is stated in. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        for (ResultRow r : rows) {
            switch (r.text("workload")) {
                case "w1" -> lines.add(String.format(Locale.ROOT, "w1 %s: %s cycles/s, cycle p50 %s ms, p99 %s ms, max %s ms, errors %s",
                    r.text("param"), f(r.number("ops_per_s")), f(r.number("cycle_p50_ms")), f(r.number("cycle_p99_ms")),
                    f(r.number("cycle_max_ms")), r.text("errors")));
                case "w2" -> lines.add(String.format(Locale.ROOT, "w2 %s: %s handoffs/s, fairness %s, acquire wait p99 %s ms, max %s ms, errors %s",
                    r.text("param"), f(r.number("ops_per_s")), f(r.number("fairness_min_over_max")), f(r.number("acquire_p99_ms")),
                    f(r.number("acquire_max_ms")), r.text("errors")));
                case "w3" -> {
                    if (r.number("target") > 0) {
                        lines.add(String.format(Locale.ROOT, "w3 %s: %s sessions alive of %s created, probe p99 %s ms, probe fails %s, server RSS %s MB",
                            r.text("param"), r.text("alive"), r.text("created"), f(r.number("probe_p99_ms")), r.text("probe_fail"),
                            f(r.number("server_rss_mb"))));
                    }
                }
                default -> { }
            }
        }
        List<Double> failovers = new ArrayList<>();
        for (ResultRow r : rows) if (r.text("workload").equals("w4")) failovers.add(r.number("recovery_ms"));
        if (!failovers.isEmpty()) {
            List<Double> ok = failovers.stream().filter(d -> !d.isNaN()).sorted().toList();
            lines.add(String.format(Locale.ROOT, "w4: failover median %s ms, p99 %s ms, max %s ms over %d trials (%d never recovered)",
                f(median(ok)), f(nearestRank(ok, 0.99)), f(ok.isEmpty() ? Double.NaN : ok.get(ok.size() - 1)), failovers.size(),
                failovers.size() - ok.size()));
        }
        for (ResultRow r : rows) {
            if (r.text("param").equals("error")) lines.add(r.text("workload") + " FAILED: " + r.text("error"));
        }
        return lines;
    }

    private static Columns columns(String workload) {
        return switch (workload) {
            case "w1" -> W1;
            case "w2" -> W2;
            case "w3" -> W3;
            case "w4" -> W4;
            default -> null;
        };
    }

    static double median(List<Double> sorted) {
        if (sorted.isEmpty()) return Double.NaN;
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double nearestRank(List<Double> sorted, double q) {
        if (sorted.isEmpty()) return Double.NaN;
        return sorted.get((int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(q * sorted.size()) - 1)));
    }

    private static String cell(Object v) {
        if (v == null) return "–";
        if (v instanceof Double d) return f(d);
        if (v instanceof Boolean b) return b ? "1.00" : "0.00";
        String s = v.toString();
        return s.isEmpty() ? "–" : s.replace('|', '/');
    }

    /** Like the peers' report: 0 decimals from 100, 1 from 10, else 2. */
    static String f(double x) {
        if (Double.isNaN(x)) return "–";
        double a = Math.abs(x);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", x);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", x);
        return String.format(Locale.ROOT, "%.2f", x);
    }
}
