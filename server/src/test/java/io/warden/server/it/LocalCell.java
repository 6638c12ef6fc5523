package io.warden.server.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.server.config.DataDirectory;
import io.warden.server.it.ReplicaClient.Reply;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A real cell of 3 or 5 replica processes on this machine, for tests that kill, pause and restart
 * them. Replica {@code i} (1-based; also its Paxos id) binds its own loopback address
 * {@code 127.0.0.(10+i)} (Linux routes all of 127/8 to lo) on ports free when the cell was made,
 * and keeps its config, data directory and log under one temporary directory.
 *
 * <p>Only processes this object started are ever signalled, always by their own PID. Every wait is
 * bounded by a deadline. {@link #close()} kills whatever is still running and deletes the directory;
 * a shutdown hook does the killing too should the test JVM itself be stopped.
 *
 * <p>Threading: process control is synchronized; the HTTP methods (a {@link ReplicaClient}) may be
 * called from any thread.
 */
public final class LocalCell implements AutoCloseable {
    /** The lease timings written into every replica's config (see CellConfig.Timings). */
    record Timings(long leaseMillis, long renewMillis, long electionJitterMillis) {
        /** Short timings, so elections and restarts take about a second. */
        static Timings fast() {
            return new Timings(1_000, 200, 200);
        }

        /** The server's own defaults. */
        static Timings standard() {
            return new Timings(2_000, 400, 300);
        }
    }

    private final String cell;
    private final int replicas;
    private final Timings timings;
    /** Fields of the config's {@code limits} object (the cell's and each replica's bounds); empty: the defaults. */
    private final Map<String, Long> limits;
    private final Path dir;
    private final String[] hosts;
    private final int[] clientPorts;
    private final Process[] processes;
    private final long[] logOffsets;
    private final boolean[] paused;
    /** Whether the test stopped replica i on purpose: any other exit is a crash, and fails a wait at once. */
    private final boolean[] stopped;
    /** Replica i's "tls" config section, or null for a plain cell. */
    private final java.util.function.IntFunction<ObjectNode> tls;
    /** The {@code auth} section written into every replica's config (null: none, authentication off). */
    private final ObjectNode auth;
    private final ReplicaClient client;
    private final long createdNanos = System.nanoTime();
    private final Thread killer = new Thread(this::killAll, "local-cell-killer");

    private LocalCell(String cell, int replicas, Timings timings, Map<String, Long> limits,
                      java.util.function.IntFunction<ObjectNode> tls, javax.net.ssl.SSLContext clientTls,
                      ObjectNode auth, String token) throws IOException {
        if (replicas < 1 || replicas > 9) throw new IllegalArgumentException("1-9 replicas, got " + replicas);
        this.cell = cell;
        this.auth = auth;
        this.replicas = replicas;
        this.timings = timings;
        this.limits = Map.copyOf(limits);
        this.tls = tls;
        this.client = new ReplicaClient(clientTls, token);
        this.dir = Files.createTempDirectory("warden-it-");
        this.hosts = new String[replicas + 1];
        this.clientPorts = new int[replicas + 1];
        this.processes = new Process[replicas + 1];
        this.logOffsets = new long[replicas + 1];
        this.paused = new boolean[replicas + 1];
        this.stopped = new boolean[replicas + 1];
        Runtime.getRuntime().addShutdownHook(killer);
        writeConfigs();
    }

    /** Makes the cell's files (nothing runs yet). */
    static LocalCell create(String cell, int replicas, Timings timings) throws IOException {
        return create(cell, replicas, timings, Map.of());
    }

    /** With these fields in every replica's {@code limits} (see docs/operations.md). */
    static LocalCell create(String cell, int replicas, Timings timings, Map<String, Long> limits) throws IOException {
        return new LocalCell(cell, replicas, timings, limits, null, null, null, null);
    }

    /**
     * A cell whose replica i is configured with {@code tls.apply(i)} as its "tls" section; the
     * test's own HTTP client speaks https with {@code clientTls}.
     */
    static LocalCell createWithTls(String cell, int replicas, Timings timings, java.util.function.IntFunction<ObjectNode> tls,
                                   javax.net.ssl.SSLContext clientTls) throws IOException {
        return new LocalCell(cell, replicas, timings, Map.of(), tls, clientTls, null, null);
    }

    /**
     * A cell with authentication: {@code auth} is every replica's {@code auth} section, and
     * {@code token} (a bootstrap admin's) is sent with this object's own requests (probes, puts).
     */
    static LocalCell createWithAuth(String cell, int replicas, Timings timings, ObjectNode auth, String token) throws IOException {
        return new LocalCell(cell, replicas, timings, Map.of(), null, null, auth, token);
    }

    /** Changes replica {@code i}'s config file (it takes effect at its next start). */
    void editConfig(int i, java.util.function.Consumer<ObjectNode> change) throws IOException {
        ObjectNode config = (ObjectNode) ReplicaClient.JSON.readTree(configFile(i).toFile());
        change.accept(config);
        ReplicaClient.JSON.writerWithDefaultPrettyPrinter().writeValue(configFile(i).toFile(), config);
    }

    int size() {
        return replicas;
    }

    Timings timings() {
        return timings;
    }

    Path dir() {
        return dir;
    }

    Path configFile(int i) {
        return replicaDir(i).resolve("config.json");
    }

    Path dataDir(int i) {
        return replicaDir(i).resolve("data");
    }

    Path logFile(int i) {
        return replicaDir(i).resolve("server.log");
    }

    String url(int i) {
        check(i);
        return (tls == null ? "http://" : "https://") + hosts[i] + ":" + clientPorts[i];
    }

    private Path replicaDir(int i) {
        check(i);
        return dir.resolve("replica-" + i);
    }

    private void check(int i) {
        if (i < 1 || i > replicas) throw new IllegalArgumentException("no replica " + i + " in a cell of " + replicas);
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Writes every replica's config: the same members and timings everywhere (the fingerprint each
     * replica checks), each with its own {@code self} and data directory. All ports are held open
     * until every one is chosen, so no two members are handed the same one.
     */
    private void writeConfigs() throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        ArrayNode members = ReplicaClient.JSON.createArrayNode();
        try {
            for (int i = 1; i <= replicas; i++) {
                hosts[i] = "127.0.0.1" + i;
                ServerSocket client = bind(hosts[i]);
                ServerSocket peer = bind(hosts[i]);
                held.add(client);
                held.add(peer);
                clientPorts[i] = client.getLocalPort();
                members.addObject().put("id", i).put("host", hosts[i]).put("clientPort", client.getLocalPort())
                    .put("peerPort", peer.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) s.close();
        }
        for (int i = 1; i <= replicas; i++) {
            ObjectNode config = ReplicaClient.JSON.createObjectNode();
            config.put("cell", cell).put("self", i).put("dataDir", dataDir(i).toString()).set("members", members);
            config.putObject("timings").put("leaseMillis", timings.leaseMillis()).put("renewMillis", timings.renewMillis())
                .put("electionJitterMillis", timings.electionJitterMillis());
            if (tls != null) config.set("tls", tls.apply(i));
            if (auth != null) config.set("auth", auth);
            if (!limits.isEmpty()) {
                ObjectNode bounds = config.putObject("limits");
                limits.forEach(bounds::put);
            }
            Files.createDirectories(replicaDir(i));
            ReplicaClient.JSON.writerWithDefaultPrettyPrinter().writeValue(configFile(i).toFile(), config);
        }
    }

    private static ServerSocket bind(String host) throws IOException {
        return new ServerSocket(0, 1, InetAddress.getByName(host));
    }

    /** The command line that runs one replica process: this JVM's java, this JVM's class path (a snapshot of it). */
    static List<String> serverCommand(Path config) {
        String java = ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("no java binary"));
        return List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", ClassPathSnapshot.get(),
            "io.warden.server.WardenServer", "--config", config.toString());
    }

    // ---------------------------------------------------------------- processes

    /** Starts every replica at once (their JVMs start in parallel); returns without waiting. */
    synchronized void startAll() throws IOException {
        for (int i = 1; i <= replicas; i++) start(i);
    }

    /** Starts replica {@code i} (which must not be running); its output is appended to its log. */
    synchronized void start(int i) throws IOException {
        check(i);
        if (isAlive(i)) throw new IllegalStateException("replica " + i + " is already running");
        Path log = logFile(i);
        String banner = "==== [local-cell] starting replica " + i + " ====" + System.lineSeparator();
        Files.writeString(log, banner, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        logOffsets[i] = Files.size(log);
        processes[i] = new ProcessBuilder(serverCommand(configFile(i)))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
        paused[i] = false;
        stopped[i] = false;
        note("started replica " + i + " (pid " + processes[i].pid() + ")");
    }

    synchronized boolean isAlive(int i) {
        check(i);
        return processes[i] != null && processes[i].isAlive();
    }

    synchronized long pid(int i) {
        check(i);
        if (processes[i] == null) throw new IllegalStateException("replica " + i + " was never started");
        return processes[i].pid();
    }

    /** SIGKILL: the process gets no chance to flush or close anything. Returns its exit code. */
    synchronized int kill9(int i) {
        Process p = running(i);
        stopped[i] = true;
        note("kill -9 replica " + i + " (pid " + p.pid() + ")");
        p.destroyForcibly();
        paused[i] = false;
        return awaitExit(i, p, Duration.ofSeconds(10));
    }

    /** SIGTERM (clean shutdown through the shutdown hook); waits for the exit and returns its code. */
    synchronized int terminate(int i) {
        Process p = running(i);
        stopped[i] = true;
        note("SIGTERM replica " + i + " (pid " + p.pid() + ")");
        p.destroy();
        return awaitExit(i, p, Duration.ofSeconds(20));
    }

    /** SIGTERM to several replicas at once, then waits for each; returns their exit codes in order. */
    synchronized List<Integer> terminateAll(List<Integer> ids) {
        List<Process> ps = new ArrayList<>();
        for (int i : ids) {
            ps.add(running(i));
            stopped[i] = true;
        }
        note("SIGTERM replicas " + ids);
        ps.forEach(Process::destroy);
        List<Integer> codes = new ArrayList<>();
        for (int k = 0; k < ids.size(); k++) codes.add(awaitExit(ids.get(k), ps.get(k), Duration.ofSeconds(20)));
        return codes;
    }

    /** SIGSTOP to this replica's own process: it keeps its sockets but runs no thread. */
    synchronized void pause(int i) {
        signal(i, "-STOP");
        paused[i] = true;
        note("SIGSTOP replica " + i);
    }

    /** SIGCONT to a paused replica. */
    synchronized void resume(int i) {
        signal(i, "-CONT");
        paused[i] = false;
        note("SIGCONT replica " + i);
    }

    synchronized boolean isPaused(int i) {
        check(i);
        return paused[i];
    }

    /** Starts replica {@code i} again from its own config and data directory (SIGTERM first if it runs). */
    synchronized void restart(int i) throws IOException {
        if (isAlive(i)) terminate(i);
        start(i);
    }

    /** The replica's output since its latest start. */
    String logSinceStart(int i) {
        try {
            byte[] all = Files.readAllBytes(logFile(i));
            long from;
            synchronized (this) {
                from = logOffsets[i];
            }
            return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Process running(int i) {
        check(i);
        Process p = processes[i];
        if (p == null || !p.isAlive()) throw new IllegalStateException("replica " + i + " is not running");
        return p;
    }

    private static int awaitExit(int i, Process p, Duration timeout) {
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("replica " + i + " (pid " + p.pid() + ") did not exit within " + timeout);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for replica " + i, e);
        }
    }

    private void signal(int i, String signal) {
        long pid = running(i).pid();
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new AssertionError("kill " + signal + " " + pid + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted signalling replica " + i, e);
        }
    }

    /** SIGKILL to every process this cell started (a stopped process dies of SIGKILL too). */
    private synchronized void killAll() {
        for (Process p : processes) if (p != null) p.destroyForcibly();
        for (Process p : processes) {
            if (p == null) continue;
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running or has run
        }
        DataDirectory.deleteTree(dir);
    }

    /** Prints the last {@code lines} lines of every replica's log (for a failed test). */
    void printLogTails(PrintStream out, int lines) {
        for (int i = 1; i <= replicas; i++) {
            Path log = logFile(i);
            out.println("----- replica " + i + " (" + url(i) + ") log tail: " + log);
            try {
                if (!Files.exists(log)) {
                    out.println("(never started)");
                    continue;
                }
                List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(out::println);
            } catch (IOException e) {
                out.println("(unreadable: " + e + ")");
            }
        }
        out.flush();
    }

    // ---------------------------------------------------------------- HTTP (replica i's REST API)

    Reply cell(int i) {
        return client.cell(url(i));
    }

    Reply health(int i) {
        return client.health(url(i));
    }

    Reply get(int i, String key) {
        return client.get(url(i), key, ReplicaClient.REQUEST_TIMEOUT);
    }

    Reply get(int i, String key, Duration timeout) {
        return client.get(url(i), key, timeout);
    }

    Reply put(int i, String key, String value) {
        return client.put(url(i), key, value, ReplicaClient.REQUEST_TIMEOUT);
    }

    /** A write carrying a request id, so that a retry of it is answered with its first outcome. */
    Reply put(int i, String key, String value, long clientId, long seq) {
        return client.put(url(i), key, value, clientId, seq);
    }

    /** Any request to replica {@code i} as {@code bearer} (null: without credentials). */
    Reply call(int i, String method, String path, String json, String bearer) {
        return client.call(url(i), method, path, json, bearer);
    }

    HttpResponse<String> getText(int i, String path) throws IOException, InterruptedException {
        return client.getText(url(i), path);
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Waits until some running, unpaused replica says it is master and a write there succeeds;
     * returns its index. Fails (with every replica's view) at the deadline, or at once if a replica
     * that should be running has exited.
     */
    int awaitMaster(Duration timeout) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        while (true) {
            Optional<Integer> m = serving();
            if (m.isPresent()) {
                note("replica " + m.get() + " is master and served a write (waited "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms)");
                return m.get();
            }
            if (System.nanoTime() > deadline) throw new AssertionError("no master served a write within " + timeout + "; " + views());
            sleep(20);
        }
    }

    private Optional<Integer> serving() {
        for (int i = 1; i <= replicas; i++) {
            if (!isAlive(i)) {
                synchronized (this) {
                    Process p = processes[i];
                    if (p != null && !p.isAlive() && !stopped[i]) {
                        throw new AssertionError("replica " + i + " exited on its own with code " + p.exitValue());
                    }
                }
                continue;
            }
            if (isPaused(i)) continue;
            Reply c = cell(i);
            if (c.ok() && "master".equals(c.text("role"))) {
                Reply w = client.put(url(i), "local-cell-probe", "probe", Duration.ofSeconds(2));
                if (w.ok()) return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** A progress line on stdout, stamped with the time since this cell was made. */
    void note(String message) {
        System.out.printf("[%s +%.2fs] %s%n", cell, (System.nanoTime() - createdNanos) / 1e9, message);
    }

    /** Every replica's current view, for failure messages. */
    String views() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= replicas; i++) {
            b.append(System.lineSeparator()).append("  replica ").append(i).append(": ");
            if (!isAlive(i)) b.append("not running");
            else if (isPaused(i)) b.append("paused");
            else b.append(cell(i));
        }
        return b.toString();
    }

    /**
     * Polls {@code condition} every 20 ms until it holds; at the deadline fails with {@code what},
     * computed then (so it can show the state at the failure).
     */
    static void await(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout + ": " + what.get());
            sleep(20);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
