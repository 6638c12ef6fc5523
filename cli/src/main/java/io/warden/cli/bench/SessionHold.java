package io.warden.cli.bench;

import io.warden.client.Grant;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * W3: grows to each level of live sessions (spread over a few clients, as etcd's leases share a
 * few connections: each client renews all its sessions together), holds them for a while as a
 * separate client probes lock acquire + release every 200 ms, then closes them all. Reports the
 * creation rate, probe latency, sessions still alive, cell health and the replicas' memory.
 */
final class SessionHold {
    private static final long LEVEL_TIMEOUT_MILLIS = 300_000;
    private static final long PROBE_EVERY_MILLIS = 200;

    private final BenchTarget target;
    private final Settings settings;
    private final BenchCell cell; // null when the bench did not start the cell: no memory figure

    SessionHold(BenchTarget target, Settings settings, BenchCell cell) {
        this.target = target;
        this.settings = settings;
        this.cell = cell;
    }

    void run(Consumer<ResultRow> emit) throws InterruptedException {
        List<WardenClient> holders = new ArrayList<>();
        for (int i = 0; i < settings.w3Connections(); i++) holders.add(target.newClient());
        List<Session> sessions = Collections.synchronizedList(new ArrayList<>());
        long creatingNanos = 0;
        WardenClient probeClient = target.newClient();
        try {
            Session probe = probeClient.newSession(target.sessionTimeout(), "warden bench w3 probe");
            Latencies base = new Latencies();
            int baseFails = probe(probe, (int) Math.min(5, settings.w3Hold().toSeconds()), base);
            emit.accept(new ResultRow().put("workload", "w3").put("param", "sessions=0").put("target", 0).put("created", 0)
                .latency("probe", base).put("probe_fail", baseFails).put("healthy", target.healthy()).put("server_rss_mb", rss()));
            for (int level : settings.w3Levels()) {
                int need = level - sessions.size();
                AtomicInteger next = new AtomicInteger(), failed = new AtomicInteger();
                AtomicReference<String> firstError = new AtomicReference<>("");
                long t0 = System.nanoTime();
                long deadline = t0 + LEVEL_TIMEOUT_MILLIS * 1_000_000;
                List<Thread> creators = new ArrayList<>();
                for (int c = 0; c < settings.w3Creators(); c++) {
                    Thread t = new Thread(() -> {
                        int k;
                        while ((k = next.getAndIncrement()) < need && System.nanoTime() < deadline && failed.get() < 1000
                               && !Thread.currentThread().isInterrupted()) {
                            try {
                                sessions.add(holders.get(k % holders.size()).newSession(target.sessionTimeout()));
                            } catch (RuntimeException e) {
                                failed.incrementAndGet();
                                firstError.compareAndSet("", e.toString());
                            }
                        }
                    }, "bench-w3-creator-" + c);
                    t.start();
                    creators.add(t);
                }
                for (Thread t : creators) t.join(LEVEL_TIMEOUT_MILLIS + 60_000);
                creatingNanos += System.nanoTime() - t0;
                double createSeconds = (System.nanoTime() - t0) / 1e9;
                int created = sessions.size();
                Latencies lat = new Latencies();
                int fails = probe(probe, (int) settings.w3Hold().toSeconds(), lat);
                int alive;
                synchronized (sessions) {
                    alive = (int) sessions.stream().filter(s -> s.state() != Session.State.EXPIRED).count();
                }
                emit.accept(new ResultRow().put("workload", "w3").put("param", "sessions=" + level).put("target", level)
                    .put("created", created).put("create_failed", failed.get()).put("first_error", firstError.get())
                    .put("create_s", createSeconds).put("create_per_s", (created - (level - need)) / createSeconds)
                    .latency("probe", lat).put("probe_fail", fails).put("alive", alive)
                    .put("healthy", target.healthy()).put("server_rss_mb", rss()).put("client_threads", Thread.activeCount()));
                if (created < level) break; // this level was out of reach: do not try a higher one
            }
        } finally {
            // Closing is a write per session, as opening was: allow twice as long, at least two minutes,
            // so the clients' own close (one session after another) finds few left.
            closeAll(sessions, Math.max(120_000, 2 * creatingNanos / 1_000_000));
            for (WardenClient c : holders) c.close();
            probeClient.close();
        }
    }

    /** Acquire + release of one lock every 200 ms for {@code seconds}; returns the failures. */
    private int probe(Session probe, int seconds, Latencies lat) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        String lock = "/bench/w3/" + settings.run() + "/probe";
        int fails = 0;
        for (int i = 0; i < seconds * 5 + 1 && System.nanoTime() < end && !Thread.currentThread().isInterrupted(); i++) {
            long s = System.nanoTime();
            try {
                Optional<Grant> g = probe.lock(lock).acquire(java.time.Duration.ofSeconds(5));
                if (g.isEmpty()) {
                    fails++;
                } else {
                    g.get().close();
                    lat.add(System.nanoTime() - s);
                }
            } catch (RuntimeException e) {
                fails++;
            }
            Pause.millis(PROBE_EVERY_MILLIS - (System.nanoTime() - s) / 1_000_000);
        }
        return fails;
    }

    private double rss() {
        return cell == null ? Double.NaN : cell.residentMegabytes(target.endpoints().size());
    }

    /** Closes with 32 threads within {@code boundMillis}; the holders' clients close what is left. */
    private static void closeAll(List<Session> sessions, long boundMillis) throws InterruptedException {
        List<Session> copy;
        synchronized (sessions) {
            copy = new ArrayList<>(sessions);
            sessions.clear();
        }
        AtomicInteger next = new AtomicInteger();
        long deadline = System.nanoTime() + boundMillis * 1_000_000;
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            Thread t = new Thread(() -> {
                int k;
                while ((k = next.getAndIncrement()) < copy.size() && System.nanoTime() < deadline) copy.get(k).close();
            }, "bench-w3-closer-" + i);
            t.setDaemon(true);
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) t.join(boundMillis + 5_000);
    }
}
