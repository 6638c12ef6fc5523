package io.warden.paxos;

import io.warden.leases.DriftBound;
import io.warden.leases.LeaseTerms;
import io.warden.leases.MonotonicClock;
import io.warden.paxos.sim.InMemoryPaxosStorage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A cell of {@link PaxosReplica}s over a synchronous in-memory network, for scenario tests: every
 * replica has its own {@link InMemoryPaxosStorage}, its own manually advanced clock, and a seeded
 * random source; the test decides when messages are delivered, which are dropped, when time
 * passes and who ticks. No threads and no sleeps: the same calls always give the same run.
 *
 * <p>The driver contract of {@link Ready} is followed after every input: take the Ready, sync the
 * storage if asked, then put the messages in flight and record what was applied.
 */
final class SyncCluster {
    /** D = 1 s, ε = 1 %: the holder relies on a grant for 989 ms, a grantor honours it for 1011 ms. */
    static final LeaseTerms LEASE = new LeaseTerms(1_000, DriftBound.standard());
    static final long START_MILLIS = 1_000_000;
    static final long TICK_MILLIS = 10;
    private static final int MAX_DELIVERIES = 1_000_000;

    /** Renew every 200 ms, jitter up to 100 ms, retry after 50 ms, 8 slots of up to 4 commands in flight. */
    static PaxosOptions scenarioOptions() {
        return new PaxosOptions(LEASE, 200, 100, 50, 8, 4, 1_000, 16, 8, 100, Set.of());
    }

    /** A clock that moves only when the test says so, at a rate the test chooses (drift). */
    static final class FakeClock implements MonotonicClock {
        private final long start;
        private double rate = 1.0;
        private double elapsed;

        FakeClock(long start) {
            this.start = start;
        }

        @Override
        public long nowMillis() {
            return start + (long) Math.floor(elapsed);
        }

        void advance(long realMillis) {
            elapsed += realMillis * rate;
        }

        void rate(double r) {
            rate = r;
        }
    }

    /** The trivial application: appends each payload to a list; the result is the list's new size. */
    static final class ListMachine implements StateMachine {
        private final List<String> payloads = new ArrayList<>();
        int applyCalls;

        @Override
        public byte[] apply(long slot, Command command) {
            applyCalls++;
            payloads.add(new String(command.payload(), StandardCharsets.UTF_8));
            return ("#" + payloads.size()).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public java.util.function.Supplier<byte[]> snapshot() {
            byte[] bytes = WireCodec.encode(out -> {
                out.writeInt(payloads.size());
                for (String p : payloads) out.writeUTF(p);
            });
            return () -> bytes;
        }

        @Override
        public void restore(byte[] snapshot) {
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
                payloads.clear();
                int n = in.readInt();
                for (int i = 0; i < n; i++) payloads.add(in.readUTF());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<String> payloads() {
            return List.copyOf(payloads);
        }
    }

    /** One replica and everything around it that survives (storage, clock) or not (the rest). */
    final class Node {
        final int id;
        final FakeClock clock = new FakeClock(START_MILLIS);
        final InMemoryPaxosStorage storage = new InMemoryPaxosStorage();
        ListMachine machine;
        PaxosReplica replica;
        /** Since the last (re)start: what it applied, learned decided, and abandoned. */
        final List<Ready.Applied> applied = new ArrayList<>();
        final TreeMap<Long, Value> decided = new TreeMap<>();
        final List<Command> abandoned = new ArrayList<>();
        boolean frozen;

        Node(int id) {
            this.id = id;
        }

        void start() {
            machine = new ListMachine();
            applied.clear();
            decided.clear();
            abandoned.clear();
            replica = new PaxosReplica(id, configuration, options, storage, machine, clock, random.split(),
                (slot, value) -> decided.put(slot, value));
            collect(this);
        }

        boolean up() {
            return replica != null;
        }

        Role role() {
            return replica.status().role();
        }
    }

    private final PaxosOptions options;
    private final SplittableRandom random;
    private final Configuration configuration;
    private final List<Node> nodes = new ArrayList<>();
    private final ArrayDeque<Message> inFlight = new ArrayDeque<>();
    private final Set<Long> cut = new HashSet<>();
    private final List<Predicate<Message>> drops = new ArrayList<>();
    /** Every message sent, and every message delivered, in order (for assertions). */
    final List<Message> sent = new ArrayList<>();
    final List<Message> delivered = new ArrayList<>();

    SyncCluster(int replicas, long seed) {
        this(replicas, seed, scenarioOptions());
    }

    SyncCluster(int replicas, long seed, PaxosOptions options) {
        this.options = options;
        this.random = new SplittableRandom(seed);
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= replicas; id++) ids.add(id);
        this.configuration = new Configuration(ids);
        for (int id : ids) nodes.add(new Node(id));
        for (Node n : nodes) n.start();
    }

    PaxosOptions options() {
        return options;
    }

    Node node(int id) {
        return nodes.get(id - 1);
    }

    PaxosReplica replica(int id) {
        return node(id).replica;
    }

    List<Node> nodes() {
        return nodes;
    }

    // ---- the driver contract ------------------------------------------------------------------------

    /** Carries out the replica's Ready: sync if asked, then send, then record applied results. */
    Ready collect(Node n) {
        Ready r = n.replica.ready();
        if (r.syncRequired()) n.storage.sync();
        for (Message m : r.messages()) {
            sent.add(m);
            inFlight.add(m);
        }
        n.applied.addAll(r.applied());
        n.abandoned.addAll(r.abandoned());
        return r;
    }

    /** Delivers one message to its addressee (or to {@code id}, whoever that is) now, bypassing the network. */
    Ready inject(Message m) {
        return stepOn(m.to(), m);
    }

    Ready stepOn(int id, Message m) {
        Node n = node(id);
        n.replica.step(m);
        return collect(n);
    }

    boolean propose(int id, Command c) {
        Node n = node(id);
        boolean taken = n.replica.propose(c);
        collect(n);
        return taken;
    }

    // ---- the network --------------------------------------------------------------------------------

    /** Delivers messages in flight, and the replies they cause, until none is left; returns how many. */
    int deliverAll() {
        int count = 0;
        while (!inFlight.isEmpty()) {
            if (++count > MAX_DELIVERIES) throw new IllegalStateException("messages never stop: " + inFlight.peek());
            Message m = inFlight.poll();
            if (!reaches(m)) continue;
            Node to = node(m.to());
            delivered.add(m);
            to.replica.step(m);
            collect(to);
        }
        return count;
    }

    /** Forgets every message in flight, as if all were lost. */
    void discardInFlight() {
        inFlight.clear();
    }

    List<Message> inFlight() {
        return List.copyOf(inFlight);
    }

    private boolean reaches(Message m) {
        if (m.to() < 1 || m.to() > nodes.size()) return false;
        Node to = node(m.to());
        if (!to.up() || cut.contains(link(m.from(), m.to()))) return false;
        for (Predicate<Message> d : drops) if (d.test(m)) return false;
        return true;
    }

    /** Cuts every link to and from {@code id}. */
    void isolate(int id) {
        for (Node n : nodes) {
            if (n.id == id) continue;
            cut.add(link(id, n.id));
            cut.add(link(n.id, id));
        }
    }

    /** Cuts every link between {@code side} and the rest. */
    void partition(Set<Integer> side) {
        for (Node a : nodes) {
            for (Node b : nodes) if (side.contains(a.id) != side.contains(b.id)) cut.add(link(a.id, b.id));
        }
    }

    void heal() {
        cut.clear();
    }

    /** Drops, from now on, every message matching {@code rule} at delivery. */
    void dropIf(Predicate<Message> rule) {
        drops.add(rule);
    }

    void clearDrops() {
        drops.clear();
    }

    private static long link(int from, int to) {
        return ((long) from << 32) | (to & 0xffffffffL);
    }

    // ---- time ---------------------------------------------------------------------------------------

    /** Moves every replica's clock on by {@code realMillis} (each at its own rate). */
    void advance(long realMillis) {
        for (Node n : nodes) n.clock.advance(realMillis);
    }

    void tick(int id) {
        Node n = node(id);
        if (!n.up()) return;
        n.replica.tick();
        collect(n);
    }

    /** Ticks every running, unfrozen replica, in id order. */
    void tickAll() {
        for (Node n : nodes) if (n.up() && !n.frozen) tick(n.id);
    }

    /** A frozen replica (a paused process) is not ticked; its clock still runs. */
    void freeze(int id, boolean frozen) {
        node(id).frozen = frozen;
    }

    /** In steps of {@code stepMillis}: advance, tick everyone, deliver everything, then run {@code check}. */
    void runFor(long millis, long stepMillis, Runnable check) {
        for (long t = 0; t < millis; t += stepMillis) step(stepMillis, check);
    }

    void runFor(long millis) {
        runFor(millis, TICK_MILLIS, () -> {});
    }

    /** Runs until {@code done} holds (checked after every step); false if it did not within {@code maxMillis}. */
    boolean runUntil(BooleanSupplier done, long maxMillis, long stepMillis, Runnable check) {
        for (long t = 0; t <= maxMillis; t += stepMillis) {
            if (done.getAsBoolean()) return true;
            step(stepMillis, check);
        }
        return done.getAsBoolean();
    }

    boolean runUntil(BooleanSupplier done, long maxMillis) {
        return runUntil(done, maxMillis, TICK_MILLIS, () -> {});
    }

    private void step(long stepMillis, Runnable check) {
        advance(stepMillis);
        tickAll();
        deliverAll();
        check.run();
    }

    // ---- faults -------------------------------------------------------------------------------------

    /** A power cut: the replica is gone and its unsynced writes with it. */
    void crash(int id) {
        Node n = node(id);
        n.replica = null;
        n.machine = null;
        n.storage.crash();
    }

    /** A new process on the same storage (and the same clock, which kept running). */
    void restart(int id) {
        node(id).start();
    }

    // ---- views --------------------------------------------------------------------------------------

    /** Replicas that hold a master lease now, on their own clocks. */
    List<Integer> leaseHolders() {
        List<Integer> out = new ArrayList<>();
        for (Node n : nodes) if (n.up() && n.replica.holdsLease()) out.add(n.id);
        return out;
    }

    Optional<Node> leaseHolder() {
        List<Integer> holders = leaseHolders();
        return holders.size() == 1 ? Optional.of(node(holders.get(0))) : Optional.empty();
    }

    /**
     * Makes {@code id} master: every clock moves past the initial election jitter, only {@code id}
     * ticks (so only it campaigns), and its prepares, the promises and its first lease round are
     * delivered.
     */
    void electMaster(int id) {
        advance(options.electionJitterMillis() + 1);
        tick(id);
        deliverAll();
        if (!replica(id).holdsLease()) throw new IllegalStateException("replica " + id + " was not elected: " + replica(id).status());
    }

    static Command command(long client, long sequence, String payload) {
        return new Command(client, sequence, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Messages of one type that were delivered to {@code to}. */
    <M extends Message> List<M> deliveredTo(int to, Class<M> type) {
        return delivered.stream().filter(m -> m.to() == to && type.isInstance(m)).map(type::cast).toList();
    }

    <M extends Message> List<M> sentBy(int from, Class<M> type) {
        return sent.stream().filter(m -> m.from() == from && type.isInstance(m)).map(type::cast).toList();
    }
}
