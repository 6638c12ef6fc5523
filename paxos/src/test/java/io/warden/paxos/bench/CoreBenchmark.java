package io.warden.paxos.bench;

import io.warden.leases.MonotonicClock;
import io.warden.paxos.Command;
import io.warden.paxos.Configuration;
import io.warden.paxos.DecisionListener;
import io.warden.paxos.Message;
import io.warden.paxos.PaxosOptions;
import io.warden.paxos.PaxosReplica;
import io.warden.paxos.Ready;
import io.warden.paxos.StateMachine;
import io.warden.paxos.sim.InMemoryPaxosStorage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Decided commands per second of the Paxos core alone: a cell of in-memory replicas
 * ({@link InMemoryPaxosStorage}, whose sync is a list move), driven on one thread by a synchronous
 * in-process message loop, with a state machine that only counts. The master is kept fed with
 * commands from a few clients (each command a fresh object, as if just decoded): {@code inflight}
 * slots' worth ({@code inflight x batch} commands, at most {@code window} slots) are kept proposed
 * and undecided, so each round puts that many full slots in flight at once (pipelining) and each
 * slot packs {@code batch} commands (batching); followers apply everything too. It measures the
 * core's own cost per command (batching, pipelining, the exactly-once table, the log), not disks
 * or networks.
 *
 * <pre>
 * mvn -q -o test-compile -pl paxos -am
 * java -cp leases/target/classes:paxos/target/classes:paxos/target/test-classes \
 *     io.warden.paxos.bench.CoreBenchmark [warmup=2] [measure=5] [window=64] [batch=4096] [inflight=16] \
 *     [payload=16] [clients=64] [replicas=3] [snapshotEvery=10000]
 * </pre>
 * The last line printed is {@code commands/s=N}: commands applied on the master per second of the
 * measured interval. {@code clients=0} sends internal commands (client id 0), which bypass the
 * exactly-once table: the difference to the default is what that table costs.
 */
public final class CoreBenchmark {
    private static final long TICK_EVERY_NANOS = 10_000_000L;

    /** Counts; answers every command with the same 8 bytes. Deterministic, as the port demands. */
    static final class CountingMachine implements StateMachine {
        private static final byte[] OK = {0, 0, 0, 0, 0, 0, 0, 1};
        long applied;

        @Override
        public byte[] apply(long slot, Command command) {
            applied++;
            return OK;
        }

        @Override
        public java.util.function.Supplier<byte[]> snapshot() {
            byte[] bytes = ByteBuffer.allocate(8).putLong(applied).array();
            return () -> bytes;
        }

        @Override
        public void restore(byte[] snapshot) {
            applied = ByteBuffer.wrap(snapshot).getLong();
        }
    }

    private static final class Node {
        final int id;
        final InMemoryPaxosStorage storage = new InMemoryPaxosStorage();
        final CountingMachine machine = new CountingMachine();
        final PaxosReplica replica;

        Node(int id, Configuration configuration, PaxosOptions options, MonotonicClock clock, long seed) {
            this.id = id;
            this.replica = new PaxosReplica(id, configuration, options, storage, machine, clock,
                new SplittableRandom(seed), DecisionListener.NONE);
        }
    }

    private final List<Node> nodes = new ArrayList<>();
    private final ArrayDeque<Message> network = new ArrayDeque<>();
    private final int payloadBytes;
    private final int clients;
    private final long[] sequences;
    private long appliedOnMaster;
    private long slotsOnMaster;
    private long messages;
    private long nextTickAt;

    private CoreBenchmark(int replicas, PaxosOptions options, int payloadBytes, int clients) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= replicas; id++) ids.add(id);
        Configuration configuration = new Configuration(ids);
        MonotonicClock clock = () -> System.nanoTime() / 1_000_000L; // the benchmark is an edge: real time
        for (int id : ids) nodes.add(new Node(id, configuration, options, clock, 1_000 + id));
        this.payloadBytes = payloadBytes;
        this.clients = clients;
        this.sequences = new long[clients + 1];
    }

    /** The knobs, from {@code key=value} arguments; every key has a default. */
    record Settings(double warmupSeconds, double measureSeconds, int window, int batch, int inflightSlots, int payloadBytes,
                    int clients, int replicas, long snapshotEverySlots) {
        static Settings parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>();
            for (String kv : List.of("warmup=2", "measure=5", "window=64", "batch=4096", "inflight=16", "payload=16",
                "clients=64", "replicas=3", "snapshotEvery=10000")) {
                a.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (eq < 0 || !a.containsKey(arg.substring(0, eq))) {
                    throw new IllegalArgumentException("expected key=value with key in " + a.keySet() + ", got " + arg);
                }
                a.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
            return new Settings(Double.parseDouble(a.get("warmup")), Double.parseDouble(a.get("measure")),
                Integer.parseInt(a.get("window")), Integer.parseInt(a.get("batch")), Integer.parseInt(a.get("inflight")),
                Integer.parseInt(a.get("payload")),
                Integer.parseInt(a.get("clients")), Integer.parseInt(a.get("replicas")), Long.parseLong(a.get("snapshotEvery")));
        }

        PaxosOptions options() {
            return PaxosOptions.defaults().withBatching(window, batch).withSnapshotEverySlots(snapshotEverySlots);
        }

        void print() {
            Runtime rt = Runtime.getRuntime();
            System.out.printf("CoreBenchmark: replicas=%d window=%d batch=%d inflightSlots=%d payloadBytes=%d clients=%d "
                + "snapshotEverySlots=%d warmup=%ss measure=%ss%n", replicas, window, batch, inflightSlots, payloadBytes, clients,
                snapshotEverySlots, warmupSeconds, measureSeconds);
            System.out.printf("JVM: %s %s (%s), %d cores available, max heap %d MiB, one driving thread%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), System.getProperty("java.vm.vendor"),
                rt.availableProcessors(), rt.maxMemory() >> 20);
        }
    }

    public static void main(String[] args) {
        Settings settings = Settings.parse(args);
        settings.print();
        CoreBenchmark bench = new CoreBenchmark(settings.replicas(), settings.options(), settings.payloadBytes(), settings.clients());
        Node master = bench.elect();
        long inFlightTarget = (long) Math.min(settings.inflightSlots(), settings.window()) * settings.batch();
        bench.run(master, settings.batch(), inFlightTarget, (long) (settings.warmupSeconds() * 1e9));
        long commands0 = bench.appliedOnMaster;
        long slots0 = bench.slotsOnMaster;
        long messages0 = bench.messages;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        bench.run(master, inFlightTarget, inFlightTarget, (long) (settings.measureSeconds() * 1e9));
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        long commands = bench.appliedOnMaster - commands0;
        long slots = bench.slotsOnMaster - slots0;
        if (!master.replica.holdsLease()) throw new IllegalStateException("the master lost its lease during the run");
        for (Node n : bench.nodes) {
            System.out.printf("replica %d: applied through slot %d, %d commands%n", n.id, n.replica.appliedThrough(), n.machine.applied);
        }
        System.out.printf("measured %.2f s: %d commands in %d slots (%.0f per slot), %d messages delivered%n",
            seconds, commands, slots, slots == 0 ? 0.0 : (double) commands / slots, bench.messages - messages0);
        // On a shared machine the wall-clock rate depends on the neighbours; the rate per CPU second
        // of the driving thread does not (GC threads excluded).
        System.out.printf("driving thread on CPU %.2f s of %.2f s (%.0f%%): %d commands per CPU second%n",
            cpuSeconds, seconds, 100 * cpuSeconds / seconds, Math.round(commands / cpuSeconds));
        System.out.printf("commands/s=%d%n", Math.round(commands / seconds));
    }

    /** Ticks every replica until one holds the master lease (the first election waits out up to the jitter). */
    private Node elect() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Node n : nodes) {
                n.replica.tick();
                carryOut(n, false);
            }
            deliverAll(null);
            for (Node n : nodes) if (n.replica.holdsLease()) return n;
            Thread.onSpinWait();
        }
        throw new IllegalStateException("no master elected within 10 s");
    }

    /**
     * For {@code nanos}: keep {@code inFlightTarget} commands proposed and not yet applied at the
     * master (starting from {@code startTarget} and doubling every round, so that the first rounds,
     * run while the JIT is still cold, are short), take its Ready, deliver every message until the
     * cell is quiet, and tick every 10 ms.
     */
    private void run(Node master, long startTarget, long inFlightTarget, long nanos) {
        long target = Math.min(startTarget, inFlightTarget);
        long proposed = appliedOnMaster;
        long end = System.nanoTime() + nanos;
        byte[] payload = new byte[payloadBytes];
        int client = 0;
        while (true) {
            if (System.nanoTime() >= end) break;
            maybeTick(master);
            proposed = Math.max(proposed, appliedOnMaster);
            while (proposed - appliedOnMaster < target) {
                Command c;
                if (clients == 0) {
                    c = new Command(0, 0, payload); // internal commands: the exactly-once table is bypassed
                } else {
                    client = client == clients ? 1 : client + 1;
                    c = new Command(client, ++sequences[client], payload);
                }
                if (!master.replica.propose(c)) {
                    throw new IllegalStateException("replica " + master.id + " is no longer master: " + master.replica.status());
                }
                proposed++;
            }
            carryOut(master, true);
            deliverAll(master);
            target = Math.min(2 * target, inFlightTarget);
        }
    }

    /**
     * Timers run every 10 ms, between any two messages too: a round of tens of thousands of commands
     * takes long enough (more so before the JIT has warmed up, or on a busy machine) that a driver
     * ticking only between rounds could let the master's lease lapse.
     */
    private void maybeTick(Node master) {
        long now = System.nanoTime();
        if (now < nextTickAt) return;
        nextTickAt = now + TICK_EVERY_NANOS;
        for (Node n : nodes) {
            n.replica.tick();
            carryOut(n, n == master);
        }
    }

    private void deliverAll(Node master) {
        for (Message m = network.poll(); m != null; m = network.poll()) {
            if (master != null) maybeTick(master);
            Node to = nodes.get(m.to() - 1);
            to.replica.step(m);
            messages++;
            carryOut(to, to == master);
        }
    }

    /** The driver contract: sync if asked, then send, then hand results to clients (here: count them). */
    private void carryOut(Node n, boolean isMaster) {
        Ready r = n.replica.ready();
        if (r.syncRequired()) n.storage.sync();
        network.addAll(r.messages());
        if (isMaster) {
            long lastSlot = -1;
            for (Ready.Applied applied : r.applied()) {
                if (applied.disposition() == Ready.Disposition.APPLIED) appliedOnMaster++;
                if (applied.slot() != lastSlot) {
                    slotsOnMaster++;
                    lastSlot = applied.slot();
                }
            }
        }
    }
}
