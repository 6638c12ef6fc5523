package io.warden.jepsen.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warden.jepsen.checker.Anomaly;
import io.warden.jepsen.checker.CheckResult;
import io.warden.jepsen.checker.Checker;
import io.warden.jepsen.checker.OpCounts;
import io.warden.jepsen.checker.Validity;
import io.warden.jepsen.history.EdnHistoryWriter;
import io.warden.jepsen.history.HistoryRecorder;
import io.warden.jepsen.history.JsonlHistoryWriter;
import io.warden.jepsen.history.Op;
import io.warden.jepsen.nemesis.ClockNemesis;
import io.warden.jepsen.nemesis.KillNemesis;
import io.warden.jepsen.nemesis.Nemesis;
import io.warden.jepsen.nemesis.NemesisSchedule;
import io.warden.jepsen.nemesis.PartitionNemesis;
import io.warden.jepsen.nemesis.PauseNemesis;
import io.warden.jepsen.report.FaultWindow;
import io.warden.jepsen.report.FaultWindows;
import io.warden.jepsen.report.Plots;
import io.warden.jepsen.report.Timeline;
import io.warden.jepsen.workload.ClientSettings;
import io.warden.jepsen.workload.SessionWatcher;
import io.warden.jepsen.workload.Workload;
import io.warden.jepsen.workload.WorkloadContext;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One Jepsen-style run, start to finish:
 * <ol>
 *   <li>start a real cell ({@link Cell}) and wait until it serves;</li>
 *   <li>run the workload's workers and the {@link NemesisSchedule} for the time limit, recording
 *       every operation (streamed to {@code history.jsonl} and {@code history.edn});</li>
 *   <li>heal every fault, wait for the cell to serve again (the liveness half: a cell that does not
 *       recover within 30 s is a finding), and let the workload do its final operations;</li>
 *   <li>check the history with the workload's checkers, plus the cell's health (no replica exited
 *       on its own; it recovered), and write {@code results.json}, {@code timeline.html},
 *       {@code latency.png} and {@code throughput.png}.</li>
 * </ol>
 * Whatever happens, every replica is killed and the firewall chain removed before {@link #run}
 * returns (and by shutdown hooks if the JVM is stopped first).
 */
public final class JepsenRun {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    private final RunOptions options;
    private final PrintStream out;
    private final long started = System.nanoTime();

    public JepsenRun(RunOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs it; throws {@link IllegalStateException} if the cell cannot even be started. */
    public RunResult run() throws IOException, InterruptedException {
        Path dir = runDirectory();
        note("run directory " + dir);
        CellSpec spec = CellSpec.fast(options.replicas(), options.driftBound());
        Cell cell = Cell.create(dir.resolve("cell"), spec, ServerClasspath.resolve(options.serverClasspath()));
        PartitionNemesis partition = null;
        Thread firewallHook = null;
        try {
            cell.startAll();
            Duration startup = cell.awaitServing(Duration.ofSeconds(90));
            note(spec.replicas() + " replicas serve (" + startup.toMillis() + " ms); endpoints " + cell.urls());
            Map<String, Nemesis> byName = new LinkedHashMap<>();
            for (String name : options.nemesisKinds()) {
                switch (name) {
                    case "partition" -> {
                        partition = PartitionNemesis.on(cell, options.iptables());
                        PartitionNemesis p = partition;
                        firewallHook = new Thread(p::close, "jepsen-firewall-cleanup");
                        Runtime.getRuntime().addShutdownHook(firewallHook);
                        byName.put(name, partition);
                    }
                    case "kill" -> byName.put(name, new KillNemesis(cell));
                    case "pause" -> byName.put(name, new PauseNemesis(cell));
                    case "clock" -> byName.put(name, new ClockNemesis(cell, options.clockBeyondBound()));
                    default -> throw new IllegalArgumentException("unknown nemesis " + name);
                }
            }
            List<List<Nemesis>> groups = options.nemeses().stream()
                    .map(g -> g.stream().map(byName::get).toList()).toList();
            return load(dir, cell, spec, groups, startup);
        } finally {
            if (partition != null) {
                partition.close();
            }
            if (firewallHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(firewallHook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook runs anyway
                }
            }
            cell.close(options.keepData());
        }
    }

    private RunResult load(Path dir, Cell cell, CellSpec spec, List<List<Nemesis>> nemeses, Duration startup)
            throws IOException, InterruptedException {
        AtomicBoolean recording = new AtomicBoolean(true);
        try (JsonlHistoryWriter jsonl = JsonlHistoryWriter.create(dir.resolve("history.jsonl"));
             EdnHistoryWriter edn = EdnHistoryWriter.create(dir.resolve("history.edn"))) {
            Consumer<Op> sink = op -> {
                if (recording.get()) {
                    jsonl.accept(op);
                    edn.accept(op);
                }
            };
            HistoryRecorder recorder = new HistoryRecorder(System::nanoTime, sink);
            SplittableRandom seeds = new SplittableRandom(options.seed());
            Duration quiet = options.nemesisQuiet();
            NemesisSchedule schedule = new NemesisSchedule(nemeses, options.combine(), recorder, seeds.split(),
                    quiet.dividedBy(2), quiet.multipliedBy(3).dividedBy(2));
            schedule.skipped().forEach((n, why) -> note("nemesis " + n + " SKIPPED: " + why));
            ClientSettings settings = ClientSettings.defaults(Duration.ofMillis(spec.lockDelayMillis()), spec.driftBound());
            Workload workload = Workload.named(options.workload(), options.concurrency(), options.plantedBug());
            if (options.plantedBug() != null) {
                note("PLANTED BUG " + options.plantedBug() + ": this run is meant to be found invalid");
            }
            WorkloadContext ctx = new WorkloadContext(recorder, cell.urls(), settings, options.timeLimit(),
                    options.opsPerWorker(), seeds.nextLong());
            Map<String, Object> liveness = new LinkedHashMap<>();
            NemesisSchedule.Summary summary;
            try (SessionWatcher watcher = new SessionWatcher(ctx)) {
                List<Thread> workers = new ArrayList<>();
                for (int i = 0; i < options.concurrency(); i++) {
                    Thread t = new Thread(workload.newWorker(ctx, i), "jepsen-worker-" + i);
                    t.setDaemon(true);
                    workers.add(t);
                }
                note("workload " + workload.name() + ", " + options.concurrency() + " workers, nemeses "
                        + schedule.usable() + (options.combine() ? " (mixed, sometimes two at once)" : "") + ", "
                        + options.timeLimit().toSeconds() + " s, seed " + options.seed());
                workers.forEach(Thread::start);
                schedule.start();
                awaitTimeLimit(ctx);
                ctx.stop();
                summary = schedule.stopAndHeal(Duration.ofSeconds(60));
                note("load over; faults injected " + summary.injected() + ", all healed");
                joinAll(workers);
                liveness.putAll(recover(cell));
                workload.finalOps(ctx);
                ctx.awaitClosed(Duration.ofSeconds(15));
                Thread.sleep(1000); // let the session watcher catch up with the last events
                liveness.put("sessionsExpired", watcher.expired());
            }
            recording.set(false);
            List<Op> history = recorder.history();
            note("history: " + history.size() + " ops; checking");
            List<CheckResult> checks = check(workload.checkers(settings), history);
            checks.add(cellHealth(cell, history, liveness));
            List<FaultWindow> faults = FaultWindows.of(history);
            RunResult result = result(dir, history, checks, summary, faults, schedule.process());
            writeReport(dir, result, history, liveness, workload, startup, cell);
            return result;
        }
    }

    private Path runDirectory() throws IOException {
        Path store = options.store() != null ? options.store()
                : ServerClasspath.projectRoot().map(r -> r.resolve("jepsen/store")).orElse(Path.of("jepsen/store"));
        String name = LocalDateTime.now().format(STAMP) + "-" + options.workload();
        Path dir = store.resolve(name);
        for (int k = 2; Files.exists(dir); k++) {
            dir = store.resolve(name + "-" + k);
        }
        return Files.createDirectories(dir).toAbsolutePath();
    }

    private void awaitTimeLimit(WorkloadContext ctx) throws InterruptedException {
        long lastNote = System.nanoTime();
        while (!ctx.stopped()) {
            Thread.sleep(100);
            if (System.nanoTime() - lastNote > 30_000_000_000L) {
                lastNote = System.nanoTime();
                note("running: " + ctx.recorder().history().size() + " ops so far");
            }
        }
    }

    private void joinAll(List<Thread> workers) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (Thread t : workers) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        for (Thread t : workers) {
            if (t.isAlive()) {
                note("worker " + t.getName() + " did not stop within 60 s; interrupting it");
                t.interrupt();
                t.join(5_000);
            }
        }
    }

    /** Waits for the healed cell to serve; the liveness half of the run. */
    private Map<String, Object> recover(Cell cell) {
        Map<String, Object> liveness = new LinkedHashMap<>();
        try {
            Duration d = cell.awaitServing(RECOVERY);
            liveness.put("recovered", true);
            liveness.put("recoveryMillis", d.toMillis());
            note("the healed cell serves again after " + d.toMillis() + " ms");
        } catch (IllegalStateException e) {
            liveness.put("recovered", false);
            liveness.put("recoveryError", e.getMessage());
            note("the healed cell did NOT serve within " + RECOVERY.toSeconds() + " s: " + e.getMessage());
        }
        return liveness;
    }

    private List<CheckResult> check(List<Checker> checkers, List<Op> history) {
        List<CheckResult> results = new ArrayList<>();
        for (Checker c : checkers) {
            long t0 = System.nanoTime();
            try {
                CheckResult r = c.check(history);
                results.add(r);
                note("checker " + r.checker() + ": " + r.valid().json() + " (" + (System.nanoTime() - t0) / 1_000_000
                        + " ms)" + (r.anomalies().isEmpty() ? "" : ", first anomaly: " + r.anomalies().get(0).message()));
            } catch (RuntimeException e) {
                String name = c.getClass().getSimpleName();
                note("checker " + name + " could not check the history (a harness bug): " + e);
                e.printStackTrace();
                results.add(new CheckResult(name, Validity.UNKNOWN, OpCounts.of(history), List.of(), Map.of(),
                        List.of("the checker failed: " + e)));
            }
        }
        return results;
    }

    /** The cell's own health: no replica exited without being killed, and the healed cell served again. */
    static CheckResult cellHealth(Cell cell, List<Op> history, Map<String, Object> liveness) {
        List<Anomaly> anomalies = new ArrayList<>();
        for (String exit : cell.unexpectedExits()) {
            anomalies.add(new Anomaly("replica-crashed", null, exit, List.of()));
        }
        if (Boolean.FALSE.equals(liveness.get("recovered"))) {
            anomalies.add(new Anomaly("no-recovery", null, "the cell did not serve within " + RECOVERY.toSeconds()
                    + " s of healing every fault: " + liveness.get("recoveryError"), List.of()));
        }
        return CheckResult.of("cell", OpCounts.of(history), anomalies,
                Map.of("unexpected-exits", (long) cell.unexpectedExits().size()));
    }

    private static RunResult result(Path dir, List<Op> history, List<CheckResult> checks, NemesisSchedule.Summary summary,
                                    List<FaultWindow> faults, int nemesisProcess) {
        Validity validity = Validity.VALID;
        for (CheckResult c : checks) {
            validity = validity.and(c.valid());
        }
        long ok = 0;
        long fail = 0;
        long info = 0;
        long invokes = 0;
        for (Op op : history) {
            if (op.process() == nemesisProcess) {
                continue;
            }
            switch (op.type()) {
                case INVOKE -> invokes++;
                case OK -> ok++;
                case FAIL -> fail++;
                case INFO -> info++;
            }
        }
        long pending = Math.max(0, invokes - ok - fail - info);
        return new RunResult(dir, validity, ok, fail, info + pending, checks, summary, faults);
    }

    private void writeReport(Path dir, RunResult result, List<Op> history, Map<String, Object> liveness,
                             Workload workload, Duration startup, Cell cell) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("valid", result.validity());
        doc.put("summary", result.lastLine());
        doc.put("workload", options.workload());
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("nemesis", options.nemesisSpec());
        opts.put("timeLimitSeconds", options.timeLimit().toMillis() / 1000.0);
        opts.put("replicas", options.replicas());
        opts.put("concurrency", options.concurrency());
        opts.put("seed", options.seed());
        opts.put("driftBound", options.driftBound());
        opts.put("clock", options.clockBeyondBound() ? "beyond" : "within");
        opts.put("plantedBug", options.plantedBug());
        doc.put("options", opts);
        Map<String, Object> cellInfo = new LinkedHashMap<>();
        cellInfo.put("spec", cell.spec());
        cellInfo.put("startupMillis", startup.toMillis());
        cellInfo.put("unexpectedExits", cell.unexpectedExits());
        cellInfo.putAll(liveness);
        doc.put("cell", cellInfo);
        Map<String, Object> nemesis = new LinkedHashMap<>();
        nemesis.put("injected", result.nemesis().injected());
        nemesis.put("failed", result.nemesis().failed());
        nemesis.put("skipped", result.nemesis().skipped());
        doc.put("nemesis", nemesis);
        List<Map<String, Object>> windows = new ArrayList<>();
        for (FaultWindow w : result.faults()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fault", w.fault());
            m.put("kind", w.kind());
            m.put("startSeconds", w.startNanos() / 1e9);
            m.put("endSeconds", w.endNanos() / 1e9);
            m.put("description", w.description());
            windows.add(m);
        }
        doc.put("faults", windows);
        doc.put("counts", Map.of("ok", result.ok(), "fail", result.fail(), "info", result.info()));
        doc.put("workloadStats", workload.stats());
        doc.put("checkers", result.checks());
        JSON.writeValue(dir.resolve("results.json").toFile(), doc);
        String title = "warden jepsen: " + options.workload() + " / " + options.nemesisSpec();
        Timeline.write(dir.resolve("timeline.html"), title, history, result.faults());
        Plots.write(dir, title, history, result.faults());
        note("wrote results.json, history.jsonl, history.edn, timeline.html, latency.png, throughput.png");
    }

    private void note(String message) {
        out.printf("[jepsen +%.1fs] %s%n", (System.nanoTime() - started) / 1e9, message);
        out.flush();
    }
}
