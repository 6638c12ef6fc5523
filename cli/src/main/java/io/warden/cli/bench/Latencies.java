package io.warden.cli.bench;

import java.util.Arrays;
import java.util.List;

/** Latencies in nanoseconds, one recorder per thread (not thread-safe), merged for percentiles. */
public final class Latencies {
    private long[] values = new long[1024];
    private int count;

    public void add(long nanos) {
        if (count == values.length) values = Arrays.copyOf(values, count * 2);
        values[count++] = nanos;
    }

    public int count() {
        return count;
    }

    public static Latencies merge(List<Latencies> parts) {
        Latencies m = new Latencies();
        for (Latencies p : parts) for (int i = 0; i < p.count; i++) m.add(p.values[i]);
        return m;
    }

    /** The q-quantile (q in [0, 1]) in milliseconds, nearest-rank; NaN when empty. */
    public double percentileMillis(double q) {
        if (count == 0) return Double.NaN;
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int idx = (int) Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1));
        return sorted[idx] / 1e6;
    }

    public double maxMillis() {
        if (count == 0) return Double.NaN;
        long m = 0;
        for (int i = 0; i < count; i++) m = Math.max(m, values[i]);
        return m / 1e6;
    }
}
