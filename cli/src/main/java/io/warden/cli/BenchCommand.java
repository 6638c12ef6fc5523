package io.warden.cli;

import io.warden.cli.bench.BenchCell;
import io.warden.cli.bench.BenchReport;
import io.warden.cli.bench.BenchTarget;
import io.warden.cli.bench.ResultRow;
import io.warden.cli.bench.Settings;
import io.warden.cli.bench.Workloads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code warden bench}: the lock and session workloads W1–W4 of the peer harness (ZooKeeper +
 * Curator, etcd + jetcd), run through the client library against a cell, with the same definitions
 * and columns so the figures stand side by side (docs/benchmarks.md). Every loop is bounded in time
 * and count. Prints the settings first, a table row per measurement, and a summary line per workload.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = {"Measure the cell: W1 uncontended lock cycles, W2 contended handoffs, W3 live sessions, W4 fail-over.",
        "Bounded in time and count; --cell-up starts a local cell for the run (and stops it after)."})
final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = {"-w", "--workload"}, split = ",", paramLabel = "W", defaultValue = "w1",
        description = "Workloads to run, comma-separated: w1, w2, w3, w4 (default: ${DEFAULT-VALUE}).")
    List<String> workloads;

    @Option(names = "--clients", split = ",", paramLabel = "N",
        description = "Clients per W1/W2 point, comma-separated (default: W1 1,8,32; W2 8).")
    List<Integer> clients;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "10", description = "Measured seconds per W1/W2 point (default: ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "3", description = "Unmeasured seconds before each W1/W2 point (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--sessions", split = ",", paramLabel = "N", defaultValue = "1000,10000",
        description = "W3 session levels to grow to, in order (default: ${DEFAULT-VALUE}).")
    List<Integer> sessionLevels;

    @Option(names = "--hold", paramLabel = "SECONDS", defaultValue = "20", description = "W3: seconds each level is held while probing (default: ${DEFAULT-VALUE}).")
    int holdSeconds;

    @Option(names = "--creators", paramLabel = "N", defaultValue = "32", description = "W3: concurrent session creators (default: ${DEFAULT-VALUE}).")
    int creators;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "8",
        description = "W3: clients the sessions are spread over; each renews its sessions together (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--trials", paramLabel = "N", defaultValue = "3", description = "W4: kill -9 trials (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--session-timeout", paramLabel = "DURATION", defaultValue = "15s", converter = Durations.class,
        description = "Every session's timeout, like the peers' session timeout / lease TTL (default: ${DEFAULT-VALUE}).")
    Duration sessionTimeout;

    @Option(names = "--cell-up", description = "Start a local 3-replica cell (bin/warden cell up) for the run and stop it after.")
    boolean cellUp;

    @Option(names = "--cell-dir", paramLabel = "DIR",
        description = "The local cell's directory (as bin/warden cell up --dir): where --cell-up starts it, and where W4 finds replica PIDs "
            + "(default with --cell-up: a new temporary directory).")
    Path cellDir;

    @Option(names = "--base-port", paramLabel = "P", defaultValue = "7001",
        description = "With --cell-up: client ports P..P+2, peer ports P+100..P+102 (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--cell-warm-up", paramLabel = "CYCLES", defaultValue = "2500",
        description = "Lock cycles each replica the bench starts runs through a private cell before joining (bin/warden cell up "
            + "--warm-up-cycles; 0: a cold cell) (default: ${DEFAULT-VALUE}).")
    int cellWarmUp;

    @Option(names = "--keep-cell", description = "With --cell-up: leave the cell running after the run.")
    boolean keepCell;

    @Option(names = "--out", paramLabel = "FILE", description = "Also append every row as a JSON line (the peer harness's results format).")
    Path resultsFile;

    @Option(names = "--run", paramLabel = "LABEL", description = "A label for this run, part of its lock names and rows (default: r<epoch seconds>).")
    String run;

    @Override
    public Integer call() throws Exception {
        validate();
        Settings settings = new Settings(run != null ? run : "r" + System.currentTimeMillis() / 1000,
            Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds),
            clients != null ? clients : List.of(1, 8, 32), clients != null ? clients : List.of(8),
            sessionLevels, Duration.ofSeconds(holdSeconds), creators, connections, trials, sessionTimeout);
        BenchCell cell = cellDir == null && !cellUp ? null
            : new BenchCell(BenchCell.findLauncher(), cellDir != null ? cellDir : Files.createTempDirectory("warden-bench-cell-"), basePort, cellWarmUp);
        if (cellUp) {
            common.err().println("warden bench: starting a local cell under " + cell.dir() + " (base port " + basePort + ")...");
            common.err().flush();
            cell.up();
        }
        try {
            List<String> endpoints = cell != null && Files.exists(cell.dir().resolve("endpoints")) ? cell.endpoints() : common.resolveEndpoints().urls();
            return measure(settings, endpoints, cell);
        } finally {
            if (cellUp && !keepCell) cell.down();
        }
    }

    private int measure(Settings settings, List<String> endpoints, BenchCell cell) throws Exception {
        // Rows carry the warm-up too: a cold cell's figures and a warmed one's differ most at the first point.
        String described = settings.describe() + (cell != null ? " cell-warm-up=" + cell.warmUpCycles() : "");
        String settingsLine = "settings: backend=warden endpoints=" + String.join(",", endpoints) + " workloads=" + String.join(",", workloads)
            + " " + described + (cell != null ? " cell-dir=" + cell.dir() : "") + " cpus=" + Runtime.getRuntime().availableProcessors()
            + " load=" + loadAverage();
        BenchReport report = new BenchReport(common.out());
        if (!common.json()) {
            common.out().println(settingsLine);
            common.out().flush();
        }
        try (BenchTarget target = new BenchTarget(endpoints, settings.sessionTimeout())) {
            Workloads w = new Workloads(target, settings, cell, row -> record(report, row, settings.run(), described));
            for (String wl : workloads) w.run(wl);
        }
        List<String> summary = report.summary();
        if (common.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("settings", settingsLine.substring("settings: ".length()));
            doc.put("rows", report.rows().stream().map(ResultRow::fields).toList());
            doc.put("summary", summary);
            common.printJson(doc);
        } else {
            common.out().println();
            for (String s : summary) common.out().println("summary: " + s);
            common.out().flush();
        }
        return report.rows().stream().anyMatch(r -> r.text("param").equals("error")) ? ExitCodes.ERROR : ExitCodes.OK;
    }

    private void record(BenchReport report, ResultRow row, String run, String described) {
        ResultRow full = new ResultRow().put("backend", "warden").put("run", run);
        row.fields().forEach(full::put);
        full.put("settings", described);
        report.add(full, !common.json());
        if (resultsFile == null) return;
        try {
            Files.writeString(resultsFile, CommonOptions.JSON.writeValueAsString(full.fields()) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot append to " + resultsFile, e);
        }
    }

    private void validate() {
        for (String wl : workloads) {
            if (!List.of("w1", "w2", "w3", "w4").contains(wl)) usage("unknown workload '" + wl + "' (w1, w2, w3, w4)");
        }
        if (workloads.contains("w4") && cellDir == null && !cellUp) usage("w4 kills the master by its PID: give --cell-up or --cell-dir");
        if (durationSeconds < 1 || durationSeconds > 3600 || warmupSeconds < 0 || warmupSeconds > 600) usage("--duration must be 1..3600, --warmup 0..600");
        if (clients != null && clients.stream().anyMatch(c -> c < 1 || c > 1024)) usage("--clients must be 1..1024");
        if (sessionLevels.stream().anyMatch(s -> s < 1 || s > 1_000_000)) usage("--sessions must be 1..1000000");
        if (holdSeconds < 1 || holdSeconds > 3600 || creators < 1 || creators > 256 || connections < 1 || connections > 256) {
            usage("--hold must be 1..3600, --creators and --connections 1..256");
        }
        if (trials < 1 || trials > 100) usage("--trials must be 1..100");
        if (basePort < 1024 || basePort > 65_000) usage("--base-port must be 1024..65000");
        if (cellWarmUp < 0 || cellWarmUp > 1_000_000) usage("--cell-warm-up must be 0..1000000");
    }

    private void usage(String message) {
        throw new picocli.CommandLine.ParameterException(common.mixee.commandLine(), message);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
