package io.warden.server;

import io.warden.client.Grant;
import io.warden.client.SystemClock;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import io.warden.paxos.storage.DurablePaxosStorage;
import io.warden.server.config.CellConfig;
import io.warden.server.config.DataDirectory;
import io.warden.server.config.Member;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a replica's own code hot before it joins its cell ({@code --warm-up-cycles N}): a private
 * three-replica cell inside this JVM, on 127.0.0.1 ports of its own, with data under the replica's
 * data directory ({@value #DIRECTORY}: the same disk; a leftover from a kill is removed by the
 * next warm-up), takes N lock cycles from the client library (acquire + release, some on locks of
 * their own, some handed between waiters), then is stopped and deleted. A fresh JVM interprets and
 * compiles for its first tens of seconds of traffic (docs/benchmarks.md items 17 and 19: a cold
 * cell's first seconds are half compilation); this way the paths a replica runs as master and as
 * follower (HTTP, the Paxos rounds, the peer sockets, the log's fsyncs, the lock table) are
 * compiled before its first real request, and a follower that becomes master is not cold on its
 * serving path. Best effort: a warm-up that cannot start or fails is logged and the replica starts
 * anyway. It touches nothing of the real cell: its own cell name, data, ports and members.
 */
final class WarmUp {
    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    /** However many cycles were asked for, the warm-up ends after this long. */
    static final Duration TIME_LIMIT = Duration.ofSeconds(30);
    /** Under the replica's data directory, where the private cell keeps its data while it runs. */
    static final String DIRECTORY = "warm-up";
    private static final int REPLICAS = 3;
    /** Tries at starting the private cell when a picked port turns out taken. */
    static final int START_ATTEMPTS = 3;
    /** Clients on locks of their own (each cycle a Paxos write for the acquire and one for the release). */
    private static final int OWN_LOCK_CLIENTS = 6;
    /** Clients taking turns on one lock (releases that grant to a waiter). */
    private static final int SHARED_LOCK_CLIENTS = 4;
    private static final Duration ACQUIRE_WAIT = Duration.ofSeconds(5);
    /**
     * Log segments of 1 MiB instead of 64: each segment is written in full (zeros) when prepared, and
     * the default would have the private cell write 384 MiB (two segments for each of its three
     * replicas) that nobody reads; small ones also take the log through a few rollovers.
     */
    private static final DurablePaxosStorage.Options STORAGE = new DurablePaxosStorage.Options(1L << 20);

    private WarmUp() {}

    /** What a warm-up did: cycles completed, how long it took, and why it stopped early if it did. */
    record Outcome(long cycles, long millis, String failure) {}

    /** Where the private cell's ports come from: a port free when asked, which another socket may take before it is bound. */
    @FunctionalInterface
    interface Ports {
        int pick() throws IOException;
    }

    /**
     * What a replica with data in {@code dataDir} does before joining its cell: {@code cycles} of warm-up, or with
     * none, only removing what a warm-up stopped part-way at an earlier start (SIGTERM, kill -9) left there.
     */
    static void beforeJoining(long cycles, Path dataDir) {
        Path dir = dataDir.resolve(DIRECTORY);
        if (cycles > 0) {
            run(cycles, dir);
        } else {
            DataDirectory.deleteTree(dir);
        }
    }

    /** Runs {@code cycles} lock cycles through a private cell with its data in {@code dir}, bounded by {@link #TIME_LIMIT}. */
    static Outcome run(long cycles, Path dir) {
        return run(cycles, dir, WarmUp::freePort);
    }

    static Outcome run(long cycles, Path dir, Ports ports) {
        log.info("warm-up: {} lock cycles through a private {}-replica cell on 127.0.0.1 before joining (at most {} s; its own log lines are left out)",
            cycles, REPLICAS, TIME_LIMIT.toSeconds());
        long start = System.nanoTime();
        // The private cell's replicas log as replicas do (roles, peers, sessions); in this log they would read as the real one's.
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Level level = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.OFF);
        List<WardenServer> servers = new ArrayList<>();
        AtomicLong done = new AtomicLong();
        String failure = null;
        try {
            List<Member> members = startPrivateCell(dir, ports, servers);
            drive(members, cycles, start + TIME_LIMIT.toNanos(), done);
        } catch (Exception e) {
            failure = e.toString();
        } finally {
            String stopFailure = stopAll(servers); // the replica starts anyway, and must not find its logging off
            if (failure == null) failure = stopFailure;
            root.setLevel(level); // before deleting, so that a failure to delete is logged
            DataDirectory.deleteTree(dir);
        }
        Outcome o = new Outcome(done.get(), (System.nanoTime() - start) / 1_000_000, failure);
        if (failure == null) {
            log.info("warm-up: {} lock cycles in {} ms", o.cycles(), o.millis());
        } else {
            log.warn("warm-up stopped after {} lock cycles and {} ms: {}; starting anyway", o.cycles(), o.millis(), failure);
        }
        return o;
    }

    /**
     * Starts the private cell's replicas into {@code servers}, on fresh ports each attempt: a port picked free can be
     * taken before its replica binds it (the ports are ephemeral-range ones, and the replicas started first are
     * already dialling their peers from ephemeral ports; once in a CI run that took a peer port), and the warm-up
     * should not be lost to that. Any other failure to start is not retried.
     */
    private static List<Member> startPrivateCell(Path dir, Ports ports, List<WardenServer> servers) throws Exception {
        for (int attempt = 1; ; attempt++) {
            DataDirectory.deleteTree(dir); // a warm-up killed part-way, or the attempt before
            List<Member> members = new ArrayList<>();
            for (int i = 1; i <= REPLICAS; i++) members.add(new Member(i, "127.0.0.1", ports.pick(), ports.pick()));
            try {
                for (int i = 1; i <= REPLICAS; i++) {
                    WardenServer s = new WardenServer(new CellConfig("warm-up", members, i, dir.resolve("replica-" + i),
                        CellConfig.Timings.defaults()), SystemClock.monotonic(), STORAGE);
                    servers.add(s);
                    s.start();
                }
                return members;
            } catch (Exception e) {
                if (attempt == START_ATTEMPTS || !portTaken(e)) throw e;
                String stopFailure = stopAll(servers);
                servers.clear(); // stopped, whatever that said: the caller's final stop is for the next attempt's
                if (stopFailure != null) throw new IllegalStateException(stopFailure, e);
            }
        }
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) return true;
        }
        return false;
    }

    /** Stops every server, each whatever the others did; returns the first failure, or null. */
    private static String stopAll(List<WardenServer> servers) {
        String failure = null;
        for (WardenServer s : servers) {
            try {
                s.stop();
            } catch (RuntimeException e) {
                if (failure == null) failure = "stopping the private cell: " + e;
            }
        }
        return failure;
    }

    /** Client threads cycle until {@code cycles} are done between them or the deadline passes. */
    private static void drive(List<Member> members, long cycles, long deadline, AtomicLong done) throws Exception {
        List<String> urls = members.stream().map(m -> "http://127.0.0.1:" + m.clientPort()).toList();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        try (WardenClient client = WardenClient.builder().endpoints(urls.toArray(String[]::new)).build()) {
            for (int i = 0; i < OWN_LOCK_CLIENTS + SHARED_LOCK_CLIENTS; i++) {
                String lock = i < OWN_LOCK_CLIENTS ? "/warm-up/lock-" + i : "/warm-up/shared";
                Thread t = new Thread(() -> {
                    try (Session session = client.newSession(Duration.ofSeconds(10), "warm-up")) {
                        while (System.nanoTime() < deadline && done.get() < cycles) {
                            Optional<Grant> g = session.lock(lock).acquire(ACQUIRE_WAIT);
                            if (g.isEmpty()) throw new IllegalStateException("no grant of " + lock + " within " + ACQUIRE_WAIT);
                            g.get().close();
                            done.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }, "warm-up-client-" + i);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000) + ACQUIRE_WAIT.toMillis() + 10_000);
        }
        if (!errors.isEmpty()) throw new IllegalStateException("a warm-up client failed: " + errors.get(0), errors.get(0));
    }

    /** The warm-up's own {@link Ports}: a 127.0.0.1 port the kernel says is free now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
