package io.warden.jepsen.runner;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.api.CellInfo;
import io.warden.client.RetryPolicy;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.jepsen.nemesis.Replicas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real cell on this machine: one JVM process per replica, replica {@code i} bound to its own
 * loopback address {@code 127.0.0.(10+i)} on ports that were free when the cell was made, each
 * started with the test-only clock control ({@code --test-only-clock-control}) so the clock
 * nemesis can skew it. Config, data, clock file and log of replica {@code i} live under
 * {@code dir/replica-i/}.
 *
 * <p>Contract: only processes this object started are ever signalled, by their own PID. A replica
 * that exits without being killed is remembered ({@link #unexpectedExits()}): a crash is a finding.
 * {@link #close()} SIGKILLs everything still running; a shutdown hook does the same if the JVM is
 * stopped first. Every wait is bounded. Thread-safe: process control is synchronized.
 */
public final class Cell implements Replicas, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final CellSpec spec;
    private final Path dir;
    private final String classpath;
    private final String[] hosts;
    private final int[] clientPorts;
    private final List<Integer> ports = new ArrayList<>();
    private final Process[] processes;
    private final boolean[] paused;
    private final boolean[] expectExit;
    private final List<String> unexpectedExits = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(400))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Thread killer = new Thread(this::killAll, "jepsen-cell-killer");

    private Cell(Path dir, CellSpec spec, String classpath) throws IOException {
        this.spec = spec;
        this.dir = dir;
        this.classpath = classpath;
        int n = spec.replicas();
        this.hosts = new String[n + 1];
        this.clientPorts = new int[n + 1];
        this.processes = new Process[n + 1];
        this.paused = new boolean[n + 1];
        this.expectExit = new boolean[n + 1];
        writeConfigs();
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Writes the cell's files under {@code dir} (nothing runs yet), with a copy of the server's
     * build output in {@code dir/classpath/} (see {@link ServerClasspath#snapshot}).
     */
    public static Cell create(Path dir, CellSpec spec, String serverClasspath) throws IOException {
        Files.createDirectories(dir);
        return new Cell(dir, spec, ServerClasspath.snapshot(serverClasspath, dir.resolve("classpath")));
    }

    public CellSpec spec() {
        return spec;
    }

    @Override
    public int size() {
        return spec.replicas();
    }

    @Override
    public String host(int i) {
        check(i);
        return hosts[i];
    }

    @Override
    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    @Override
    public long leaseMillis() {
        return spec.leaseMillis();
    }

    @Override
    public double driftBound() {
        return spec.driftBound();
    }

    /** Replica {@code i}'s client URL. */
    public String url(int i) {
        check(i);
        return "http://" + hosts[i] + ":" + clientPorts[i];
    }

    /** Every replica's client URL, in id order. */
    public List<String> urls() {
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= size(); i++) {
            urls.add(url(i));
        }
        return urls;
    }

    private Path replicaDir(int i) {
        return dir.resolve("replica-" + i);
    }

    /** Replica {@code i}'s log (its stdout and stderr, appended across restarts). */
    public Path log(int i) {
        return replicaDir(i).resolve("server.log");
    }

    private Path clockFile(int i) {
        return replicaDir(i).resolve("clock");
    }

    private void check(int i) {
        if (i < 1 || i > size()) {
            throw new IllegalArgumentException("no replica " + i + " in a cell of " + size());
        }
    }

    /** Picks every port while holding all of them, so no two members get the same one. */
    private void writeConfigs() throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        ArrayNode members = JSON.createArrayNode();
        try {
            for (int i = 1; i <= size(); i++) {
                hosts[i] = "127.0.0." + (10 + i);
                ServerSocket client = new ServerSocket(0, 1, InetAddress.getByName(hosts[i]));
                ServerSocket peer = new ServerSocket(0, 1, InetAddress.getByName(hosts[i]));
                held.add(client);
                held.add(peer);
                clientPorts[i] = client.getLocalPort();
                ports.add(client.getLocalPort());
                ports.add(peer.getLocalPort());
                members.addObject().put("id", i).put("host", hosts[i]).put("clientPort", client.getLocalPort())
                        .put("peerPort", peer.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        for (int i = 1; i <= size(); i++) {
            Files.createDirectories(replicaDir(i));
            ObjectNode config = JSON.createObjectNode();
            config.put("cell", "jepsen").put("self", i).put("dataDir", replicaDir(i).resolve("data").toString());
            config.set("members", members);
            config.putObject("timings").put("leaseMillis", spec.leaseMillis()).put("renewMillis", spec.renewMillis())
                    .put("electionJitterMillis", spec.electionJitterMillis()).put("driftBound", spec.driftBound());
            config.putObject("limits").put("defaultLockDelayMillis", spec.lockDelayMillis())
                    .put("minSessionTimeoutMillis", spec.minSessionTimeoutMillis());
            JSON.writeValue(replicaDir(i).resolve("config.json").toFile(), config);
            writeClock(i, 1.0, 0);
        }
    }

    private List<String> command(int i) {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this JVM"));
        return List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-Xss512k",
                "-cp", classpath, ServerClasspath.MAIN_CLASS,
                "--config", replicaDir(i).resolve("config.json").toString(),
                "--test-only-clock-control", clockFile(i).toString());
    }

    /** Starts every replica (their JVMs start in parallel); returns without waiting. */
    public synchronized void startAll() {
        for (int i = 1; i <= size(); i++) {
            start(i);
        }
    }

    private synchronized void start(int i) {
        check(i);
        if (processes[i] != null && processes[i].isAlive()) {
            throw new IllegalStateException("replica " + i + " is already running");
        }
        try {
            Files.writeString(log(i), "==== [jepsen] starting replica " + i + " ====" + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(command(i)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log(i).toFile())).start();
            processes[i] = p;
            paused[i] = false;
            expectExit[i] = false;
            p.onExit().thenAccept(gone -> exited(i, gone));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start replica " + i, e);
        }
    }

    private synchronized void exited(int i, Process gone) {
        if (processes[i] == gone && !expectExit[i]) {
            unexpectedExits.add("replica " + i + " (pid " + gone.pid() + ") exited on its own with code "
                    + gone.exitValue() + "; see " + log(i));
        }
    }

    /** Replicas that exited without the harness killing them (a crash is a finding). */
    public List<String> unexpectedExits() {
        return List.copyOf(unexpectedExits);
    }

    @Override
    public synchronized boolean isRunning(int i) {
        check(i);
        return processes[i] != null && processes[i].isAlive();
    }

    @Override
    public synchronized boolean isPaused(int i) {
        check(i);
        return paused[i] && isRunning(i);
    }

    @Override
    public synchronized void kill(int i) {
        Process p = running(i);
        expectExit[i] = true;
        p.destroyForcibly(); // SIGKILL
        paused[i] = false;
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("replica " + i + " (pid " + p.pid() + ") survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted killing replica " + i, e);
        }
    }

    @Override
    public synchronized void restart(int i) {
        if (isRunning(i)) {
            kill(i);
        }
        start(i);
    }

    @Override
    public synchronized void pause(int i) {
        signal(i, "-STOP");
        paused[i] = true;
    }

    @Override
    public synchronized void resume(int i) {
        signal(i, "-CONT");
        paused[i] = false;
    }

    @Override
    public synchronized void setClock(int i, double rate, long offsetMillis) {
        check(i);
        writeClock(i, rate, offsetMillis);
    }

    /** Replaces the clock file in one step, so the replica never reads half of it. */
    private void writeClock(int i, double rate, long offsetMillis) {
        try {
            Path tmp = clockFile(i).resolveSibling("clock.tmp");
            Files.writeString(tmp, rate + " " + offsetMillis + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, clockFile(i), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the clock of replica " + i, e);
        }
    }

    private Process running(int i) {
        check(i);
        Process p = processes[i];
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("replica " + i + " is not running");
        }
        return p;
    }

    private void signal(int i, String signal) {
        long pid = running(i).pid();
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill " + signal + " " + pid + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted signalling replica " + i, e);
        }
    }

    /** Asks every running, unpaused replica for its view; the master most of them name. */
    @Override
    public OptionalInt master() {
        List<CompletableFuture<CellInfo.View>> views = new ArrayList<>();
        for (int i = 1; i <= size(); i++) {
            if (isRunning(i) && !isPaused(i)) {
                views.add(view(i));
            }
        }
        Map<Integer, Integer> votes = new HashMap<>();
        for (CompletableFuture<CellInfo.View> f : views) {
            try {
                CellInfo.View v = f.get(1, TimeUnit.SECONDS);
                if (v != null && v.master() != null) {
                    votes.merge(v.master().id(), 1, Integer::sum);
                }
            } catch (Exception e) {
                // no answer from this replica: it has no vote
            }
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> OptionalInt.of(e.getKey())).orElse(OptionalInt.empty());
    }

    private CompletableFuture<CellInfo.View> view(int i) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(i) + "/v1/cell")).timeout(Duration.ofMillis(800))
                .header("Accept", "application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            if (r.statusCode() != 200) {
                return null;
            }
            try {
                return JSON.readValue(r.body(), CellInfo.View.class);
            } catch (IOException e) {
                return null;
            }
        });
    }

    /**
     * Waits until the cell serves clients: a session can be opened and closed. Returns how long
     * that took; throws {@link IllegalStateException} (naming any replica that crashed) at the deadline.
     */
    public Duration awaitServing(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        try (WardenClient client = WardenClient.builder().endpoints(urls().toArray(String[]::new)).requestTimeout(Duration.ofSeconds(1))
                .retryPolicy(new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(2))).build()) {
            while (true) {
                try {
                    Session s = client.newSession(Duration.ofSeconds(5), "jepsen-probe");
                    s.close();
                    return Duration.ofNanos(System.nanoTime() - start);
                } catch (WardenException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the cell did not serve within " + timeout + " (last: "
                                + e.getMessage() + ")" + (unexpectedExits.isEmpty() ? "" : "; " + unexpectedExits));
                    }
                }
                sleep(100);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private synchronized void killAll() {
        for (int i = 1; i <= size(); i++) {
            expectExit[i] = true;
            if (processes[i] != null) {
                processes[i].destroyForcibly();
            }
        }
        for (int i = 1; i <= size(); i++) {
            if (processes[i] == null) {
                continue;
            }
            try {
                processes[i].waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Kills every replica; keeps configs and logs, deletes the data directories unless {@code keepData}. */
    public void close(boolean keepData) {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
        if (!keepData) {
            for (int i = 1; i <= size(); i++) {
                deleteTree(replicaDir(i).resolve("data"));
            }
            deleteTree(dir.resolve("classpath"));
        }
    }

    @Override
    public void close() {
        close(false);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("[jepsen] could not delete " + root + ": " + e);
        }
    }
}
