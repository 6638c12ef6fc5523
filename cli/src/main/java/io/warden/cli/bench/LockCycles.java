package io.warden.cli.bench;

import io.warden.client.Grant;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * W1 (each client its own lock) and W2 (every client on one lock): C clients, each with its own
 * connection and session, acquire and release in a loop for warm-up + duration; only cycles that
 * start after the warm-up and end before the deadline count. Cycle = acquire + release; for W2
 * the acquire latency is the wait for the handoff, and fairness is min/max cycles per client.
 */
final class LockCycles {
    private final BenchTarget target;
    private final Settings settings;

    LockCycles(BenchTarget target, Settings settings) {
        this.target = target;
        this.settings = settings;
    }

    ResultRow run(String workload, int clients, boolean shared) throws InterruptedException {
        List<WardenClient> cs = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                WardenClient c = target.newClient();
                cs.add(c);
                sessions.add(c.newSession(target.sessionTimeout(), "warden bench " + workload));
            }
            return measure(workload, sessions, shared);
        } finally {
            for (WardenClient c : cs) c.close();
        }
    }

    private ResultRow measure(String workload, List<Session> sessions, boolean shared) throws InterruptedException {
        int clients = sessions.size();
        String prefix = "/bench/" + workload + "/" + settings.run() + "/c" + clients;
        long start = System.nanoTime();
        long warmEnd = start + settings.warmup().toNanos();
        long end = warmEnd + settings.duration().toNanos();
        List<Latencies> acquire = new ArrayList<>(), release = new ArrayList<>(), cycle = new ArrayList<>();
        long[] counted = new long[clients];
        AtomicLong errors = new AtomicLong(), timeouts = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>("");
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Latencies acq = new Latencies(), rel = new Latencies(), cyc = new Latencies();
            acquire.add(acq);
            release.add(rel);
            cycle.add(cyc);
            int id = i;
            String lock = shared ? prefix + "/lock" : prefix + "/lock-" + i;
            Thread t = new Thread(() -> {
                Session s = sessions.get(id);
                long ops = 0;
                int errs = 0;
                while (ops < Settings.MAX_OPS_PER_THREAD && errs < Settings.MAX_ERRORS_PER_THREAD) {
                    long s0 = System.nanoTime();
                    if (s0 >= end || Thread.currentThread().isInterrupted()) break;
                    try {
                        Optional<Grant> g = s.lock(lock).acquire(Settings.LOCK_TIMEOUT);
                        long s1 = System.nanoTime();
                        if (g.isEmpty()) {
                            timeouts.incrementAndGet();
                            errs++;
                            continue;
                        }
                        g.get().close();
                        long s2 = System.nanoTime();
                        ops++;
                        if (s0 >= warmEnd && s2 <= end) {
                            acq.add(s1 - s0);
                            rel.add(s2 - s1);
                            cyc.add(s2 - s0);
                            counted[id]++;
                        }
                    } catch (RuntimeException e) {
                        errs++;
                        errors.incrementAndGet();
                        firstError.compareAndSet("", e.toString());
                        Pause.millis(10);
                    }
                }
            }, "bench-" + workload + "-" + i);
            threads.add(t);
            t.start();
        }
        Pause.untilNanos(warmEnd);
        long requests0 = target.serverRequestCount();
        Pause.untilNanos(end);
        long requests1 = target.serverRequestCount();
        for (Thread t : threads) t.join(settings.warmup().plus(settings.duration()).plus(Settings.LOCK_TIMEOUT).toMillis() + 30_000);
        long total = 0, min = Long.MAX_VALUE, max = 0;
        for (long c : counted) {
            total += c;
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        double seconds = settings.duration().toMillis() / 1000.0;
        ResultRow r = new ResultRow().put("workload", workload).put("param", "C=" + clients)
            .put("clients", clients).put("ops", total).put("ops_per_s", total / seconds)
            .latency("cycle", Latencies.merge(cycle)).latency("acquire", Latencies.merge(acquire)).latency("release", Latencies.merge(release))
            .put("errors", errors.get()).put("timeouts", timeouts.get()).put("first_error", firstError.get())
            .put("srv_msgs_per_op", requests0 >= 0 && requests1 >= 0 && total > 0 ? (requests1 - requests0) / (double) total : Double.NaN);
        if (shared) {
            r.put("min_per_client", min).put("max_per_client", max).put("fairness_min_over_max", max == 0 ? Double.NaN : min / (double) max);
        }
        return r;
    }
}
