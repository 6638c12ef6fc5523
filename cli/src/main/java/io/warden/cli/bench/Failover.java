package io.warden.cli.bench;

import io.warden.client.Grant;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * W4: with a client connected and holding nothing, {@code kill -9} the master replica (by the PID
 * its launcher wrote), then time until an acquire of a fresh lock (1 s wait per attempt, retried)
 * succeeds; restart the replica through the launcher and wait until all serve before the next trial.
 * Also records when another replica was first seen as master, and whether the client's session
 * outlived the fail-over (none may be lost).
 */
final class Failover {
    private static final Duration TRIAL_BOUND = Duration.ofSeconds(60);

    private final BenchTarget target;
    private final Settings settings;
    private final BenchCell cell;

    Failover(BenchTarget target, Settings settings, BenchCell cell) {
        this.target = target;
        this.settings = settings;
        this.cell = cell;
    }

    void run(Consumer<ResultRow> emit) throws InterruptedException, IOException {
        try (WardenClient client = target.newClient()) {
            Session session = client.newSession(target.sessionTimeout(), "warden bench w4");
            for (int trial = 1; trial <= settings.w4Trials(); trial++) {
                if (!target.awaitHealthy(Duration.ofSeconds(90))) throw new IllegalStateException("the cell is not healthy before trial " + trial);
                String prefix = "/bench/w4/" + settings.run() + "/t" + trial;
                session.lock(prefix + "/warm").acquire(Duration.ofSeconds(10)).ifPresent(Grant::close);
                int master = target.masterIndex();
                if (master < 0) throw new IllegalStateException("no master before trial " + trial);
                ProcessHandle victim = cell.replica(master)
                    .orElseThrow(() -> new IllegalStateException("replica " + (master + 1) + " (the master) is not running from " + cell.dir()));
                AtomicLong newMasterAt = new AtomicLong(-1);
                AtomicInteger newMaster = new AtomicInteger(-1);
                long t0 = System.nanoTime();
                Thread watcher = new Thread(() -> {
                    long until = t0 + TRIAL_BOUND.toNanos();
                    while (System.nanoTime() < until && !Thread.currentThread().isInterrupted()) {
                        int m = target.masterIndex();
                        if (m >= 0 && m != master) {
                            newMasterAt.set(System.nanoTime());
                            newMaster.set(m);
                            return;
                        }
                        Pause.millis(20);
                    }
                }, "bench-w4-master-watch");
                victim.destroyForcibly(); // SIGKILL
                watcher.start();
                long okAt = -1;
                int attempts = 0, errors = 0, timeouts = 0;
                String firstError = "";
                long until = t0 + TRIAL_BOUND.toNanos();
                while (System.nanoTime() < until && attempts < 10_000) {
                    attempts++;
                    try {
                        Optional<Grant> g = session.lock(prefix + "/a" + attempts).acquire(Duration.ofSeconds(1));
                        if (g.isPresent()) {
                            okAt = System.nanoTime();
                            g.get().close();
                            break;
                        }
                        timeouts++;
                    } catch (RuntimeException e) {
                        errors++;
                        if (firstError.isEmpty()) firstError = e.toString();
                        Pause.millis(20);
                    }
                }
                watcher.join(TRIAL_BOUND.toMillis() + 1_000);
                long r0 = System.nanoTime();
                cell.up(); // restarts the killed replica only
                boolean healthy = target.awaitHealthy(Duration.ofSeconds(90));
                emit.accept(new ResultRow().put("workload", "w4").put("param", "trial=" + trial).put("trial", trial)
                    .put("killed_node", master + 1).put("client_on", "")
                    .put("recovery_ms", okAt < 0 ? Double.NaN : (okAt - t0) / 1e6)
                    .put("new_leader_ms", newMasterAt.get() < 0 ? Double.NaN : (newMasterAt.get() - t0) / 1e6)
                    .put("new_leader_node", newMaster.get() + 1).put("attempts", attempts).put("errors", errors)
                    .put("timeouts", timeouts).put("first_error", firstError).put("rejoin_ms", (System.nanoTime() - r0) / 1e6)
                    .put("healthy_after", healthy).put("session_state", session.state().toString()));
                if (!healthy) break;
                if (trial < settings.w4Trials()) Pause.millis(2_000); // let the restarted replica catch up, as the peers do
            }
        }
    }
}
