package io.warden.paxos.sim;

import io.warden.paxos.Command;
import io.warden.paxos.Configuration;
import io.warden.paxos.Message;
import io.warden.paxos.PaxosOptions;
import io.warden.paxos.PaxosReplica;
import io.warden.paxos.Ready;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * One seeded, deterministic run of a simulated cell: a fault phase (loss, duplication, delay,
 * partitions, crashes, pauses, drifting clocks) checked after every step, then a calm phase in
 * which a master must be elected and every client's pending command decided in bounded time.
 * The same {@link SimConfig} always replays the same run, event for event.
 */
public final class Simulation {
    private static final long TICK_MILLIS = 10;
    private static final long CLIENT_TIMEOUT_MILLIS = 400;
    private static final int CLIENTS = 4;

    private record Event(long at, long seq, int node, boolean tick, Runnable action) {}

    private final class Node {
        final int id;
        final InMemoryPaxosStorage storage = new InMemoryPaxosStorage();
        final SimClock clock;
        final long fsyncMillis;
        SimStateMachine machine;
        PaxosReplica replica;
        int incarnation;
        boolean paused;
        final List<Runnable> deferred = new ArrayList<>();
        /** Replies waiting for their Ready's sync, in order; they leave only after every earlier Ready's. */
        final ArrayDeque<long[]> syncMarks = new ArrayDeque<>();
        final ArrayDeque<List<Message>> outQueue = new ArrayDeque<>();

        Node(int id, SimClock clock, long fsyncMillis) {
            this.id = id;
            this.clock = clock;
            this.fsyncMillis = fsyncMillis;
        }

        boolean up() {
            return replica != null;
        }

        void start() {
            machine = new SimStateMachine();
            incarnation++;
            replica = new PaxosReplica(id, configuration, options, storage, machine, clock,
                new SplittableRandom(random.nextLong()), (slot, value) -> invariants.decided(id, slot, value, now));
            int inc = incarnation;
            scheduleTick(now + random.nextLong(TICK_MILLIS), this, inc);
            afterInput(this);
        }

        void crash() {
            replica = null;
            machine = null;
            paused = false;
            deferred.clear();
            syncMarks.clear();
            outQueue.clear();
            storage.crash();
        }
    }

    private final class Client {
        final long id;
        long sequence;
        Command outstanding;
        int submittedTo;
        long submittedAt;
        int guess;

        Client(long id) {
            this.id = id;
        }
    }

    private final SimConfig config;
    private final PaxosOptions options;
    private final SplittableRandom random;
    private final Configuration configuration;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private final SimNetwork network;
    private final Invariants invariants;
    private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) ->
        a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;
    private long trace = 1;
    private boolean calm;
    private long steps;
    private long acked;
    private final List<String> faults = new ArrayList<>();

    public Simulation(SimConfig config) {
        this.config = config;
        this.options = config.options();
        this.random = new SplittableRandom(config.seed());
        this.configuration = new Configuration(IntStream.rangeClosed(1, config.replicas()).boxed().toList());
        this.invariants = new Invariants(configuration, config.breakDrift());
        double eps = SimConfig.LEASE.drift().epsilon();
        double spread = config.breakDrift() ? 4 * eps : eps;
        for (int id = 1; id <= config.replicas(); id++) {
            // Clocks at the very edge of the bound are the interesting ones: pick an edge half the time.
            double rate = random.nextBoolean() ? 1 + (random.nextBoolean() ? spread : -spread) * 0.999
                : 1 + (random.nextDouble() * 2 - 1) * spread;
            SimClock clock = new SimClock(() -> now, random.nextLong(1_000_000), rate);
            nodes.add(new Node(id, clock, 1 + random.nextLong(3)));
        }
        network = new SimNetwork(random.split(), random.nextDouble() * 0.15, random.nextDouble() * 0.1,
            2 + random.nextLong(40), random.nextDouble() < 0.3 ? 0.01 : 0);
        for (int c = 1; c <= CLIENTS; c++) clients.add(new Client(c));
    }

    public SimResult run() {
        for (Node n : nodes) n.start();
        for (Client c : clients) schedule(random.nextLong(50), 0, () -> clientStep(c));
        schedule(5, 0, this::readProbe);
        planFaults();
        schedule(config.faultMillis(), 0, this::calmDown);
        long end = config.faultMillis() + config.livenessMillis();
        while (!queue.isEmpty() && invariants.first() == null) {
            Event e = queue.poll();
            if (e.at > end) break;
            now = e.at;
            trace = trace * 1_000_003L + e.at * 31 + e.node;
            steps++;
            Node n = e.node == 0 ? null : nodes.get(e.node - 1);
            if (n != null && n.paused) {
                // A paused process runs nothing; its timers fire late, once, and messages wait for it.
                if (e.tick) queue.add(new Event(now + TICK_MILLIS, seq++, e.node, true, e.action)); else n.deferred.add(e.action);
                continue;
            }
            e.action.run();
            checkAfterStep();
            if (calm && converged()) return result();
        }
        if (invariants.first() == null) {
            invariants.fail(io.warden.paxos.sim.Violation.Invariant.LIVENESS, now, "no convergence within "
                + config.livenessMillis() + " ms of calm: " + convergenceReport());
        }
        return result();
    }

    private SimResult result() {
        return new SimResult(config, invariants.first(), invariants.firstClockViolation(), invariants.clockViolations(),
            trace, steps, now, acked, invariants.maxDecided(), List.copyOf(faults));
    }

    // ---- replicas -------------------------------------------------------------------------------

    private void tick(Node n, int incarnation) {
        if (!n.up() || n.incarnation != incarnation) return;
        n.replica.tick();
        afterInput(n);
        scheduleTick(now + TICK_MILLIS, n, incarnation);
    }

    /**
     * Takes the replica's Ready and carries it out as the real loop does, in the background: the
     * requests that may precede the sync leave now and the decided commands are answered now; the
     * replies (its own votes among them) leave once this Ready's sync and every earlier one has
     * returned (taking time), while the replica goes on handling inputs.
     */
    private void afterInput(Node n) {
        Ready r = n.replica.ready();
        if (r.isEmpty()) return;
        List<Message> replies = new ArrayList<>();
        for (Message m : r.messages()) {
            if (Ready.mayPrecedeSync(m)) send(n, m); else replies.add(m);
        }
        answer(n, r);
        if (replies.isEmpty() && !r.syncRequired()) return;
        n.outQueue.add(replies);
        n.syncMarks.add(new long[] {r.syncRequired() ? n.storage.mark() : -1});
        if (n.outQueue.size() == 1) drainOut(n);
    }

    private void drainOut(Node n) {
        while (!n.outQueue.isEmpty()) {
            long mark = n.syncMarks.peek()[0];
            if (mark >= 0) {
                int inc = n.incarnation;
                n.syncMarks.peek()[0] = -1;
                // Now and then a disk stalls far longer than a network round trip (a busy device, a journal commit).
                long took = random.nextInt(20) == 0 ? 5 + random.nextLong(40) : n.fsyncMillis;
                schedule(now + took, n.id, () -> {
                    if (n.incarnation != inc || !n.up()) return;
                    n.storage.syncThrough(mark);
                    drainOut(n);
                });
                return;
            }
            n.syncMarks.poll();
            for (Message m : n.outQueue.poll()) send(n, m);
        }
    }

    private void send(Node n, Message m) {
        invariants.sent(m, now);
        if (m.to() == n.id) {
            int inc = n.incarnation; // its own vote or promise: in-process, never lost, not across a restart
            schedule(now, n.id, () -> { if (n.incarnation == inc) deliver(m); });
            return;
        }
        for (long d : network.delays(m.from(), m.to())) schedule(now + d, m.to(), () -> deliver(m));
    }

    private void answer(Node n, Ready r) {
        for (Ready.Applied a : r.applied()) {
            Client c = clients.get((int) a.command().clientId() - 1);
            if (c.outstanding != null && c.outstanding.equals(a.command()) && c.submittedTo == n.id) {
                invariants.acknowledged(c.id, a.command(), a.slot(), now);
                c.outstanding = null;
                acked++;
            }
        }
        for (Command lost : r.abandoned()) {
            Client c = clients.get((int) lost.clientId() - 1);
            if (lost.equals(c.outstanding) && c.submittedTo == n.id) c.submittedAt = Long.MIN_VALUE / 2;
        }
    }

    private void deliver(Message m) {
        Node n = nodes.get(m.to() - 1);
        if (!n.up() || !network.connected(m.from(), m.to())) return;
        n.replica.step(m);
        afterInput(n);
    }

    // ---- clients and reads ----------------------------------------------------------------------

    private void clientStep(Client c) {
        if (c.outstanding == null && !calm) {
            c.sequence++;
            c.outstanding = new Command(c.id, c.sequence, SimStateMachine.write(random.nextLong(5), random.nextLong(1000)));
            c.submittedAt = Long.MIN_VALUE / 2;
        }
        if (c.outstanding != null && now - c.submittedAt >= CLIENT_TIMEOUT_MILLIS) submit(c);
        schedule(now + 10 + random.nextLong(50), 0, () -> clientStep(c));
    }

    /** Sends (or re-sends, with the same id) the client's command to whom it thinks is master. */
    private void submit(Client c) {
        int target = c.guess != 0 ? c.guess : 1 + random.nextInt(nodes.size());
        Node n = nodes.get(target - 1);
        if (!n.up() || n.paused) {
            c.guess = 0;
            return;
        }
        if (n.replica.propose(c.outstanding)) {
            c.submittedTo = target;
            c.submittedAt = now;
            afterInput(n);
        } else {
            int master = n.replica.status().masterId();
            c.guess = master != target ? master : 0;
        }
    }

    private void readProbe() {
        for (Node n : nodes) {
            if (!n.up() || n.paused) continue;
            OptionalLong index = n.replica.readIndex();
            if (index.isPresent() && n.replica.appliedThrough() >= index.getAsLong()) {
                invariants.read(n.id, n.replica.appliedThrough(), now);
            }
        }
        schedule(now + 7, 0, this::readProbe);
    }

    // ---- faults ---------------------------------------------------------------------------------

    /**
     * Each seed draws a fault profile: a mix of everything; a master-hostile one that keeps cutting
     * off, bridging and pausing whoever holds the lease and quickly restarts the replicas that granted
     * it (where lease bugs show); or crash-restart
     * chaos with quick restarts and messages from old views (where durability bugs show).
     */
    private void planFaults() {
        int profile = random.nextInt(3);
        boolean partitions = profile == 1 || random.nextDouble() < 0.6;
        boolean crashes = profile != 0 || random.nextDouble() < 0.6;
        boolean pauses = profile == 1 || (profile == 0 && random.nextDouble() < 0.5);
        if (profile == 2) network.oldViews(0.03);
        faults.add("profile " + List.of("mixed", "master-hostile", "crash-restart").get(profile));
        long lease = SimConfig.LEASE.durationMillis();
        long gapMax = profile == 0 ? 1_800 : 900;
        for (long t = 200 + random.nextLong(800); t < config.faultMillis(); t += 200 + random.nextLong(gapMax)) {
            int kind = random.nextInt(3);
            long at = t;
            if (kind == 0 && partitions) {
                long until = at + 300 + random.nextLong(profile == 1 ? 2_500 : 4_000);
                SimNetwork.PartitionKind[] kinds = SimNetwork.PartitionKind.values();
                SimNetwork.PartitionKind p = kinds[random.nextInt(kinds.length)];
                schedule(at, 0, () -> {
                    faults.add("t=" + now + " " + network.partition(p, configuration.members(), focus(profile == 1)));
                    schedule(Math.min(until, config.faultMillis()), 0, network::healPartitions);
                });
            } else if (kind == 1 && crashes) {
                long down = 20 + random.nextLong(profile == 0 ? 3_000 : profile == 1 ? 300 : 800);
                schedule(at, 0, () -> {
                    Node n = nodes.get((profile == 1 ? grantor() : focus(false)) - 1);
                    if (!n.up()) return;
                    faults.add("t=" + now + " crash " + n.id);
                    n.crash();
                    schedule(now + down, 0, () -> { if (!n.up()) n.start(); });
                });
            } else if (kind == 2 && pauses) {
                long pause = (long) (lease * (1.0 + random.nextDouble() * 1.5));
                schedule(at, 0, () -> {
                    Node n = nodes.get(focus(profile == 1) - 1);
                    if (!n.up() || n.paused) return;
                    faults.add("t=" + now + " pause " + n.id + " for " + pause + "ms");
                    n.paused = true;
                    schedule(now + pause, 0, () -> resume(n));
                });
            }
        }
    }

    /** The replica a fault singles out: the master (when there is one) always, or half of the time. */
    private int focus(boolean master) {
        if (master || random.nextBoolean()) {
            for (Node n : nodes) if (n.up() && n.replica.holdsLease()) return n.id;
        }
        return 1 + random.nextInt(nodes.size());
    }

    /** A replica other than the lease holder: one whose grant the master may be relying on. */
    private int grantor() {
        int master = 0;
        for (Node n : nodes) if (n.up() && n.replica.holdsLease()) master = n.id;
        int pick;
        do {
            pick = 1 + random.nextInt(nodes.size());
        } while (pick == master && nodes.size() > 1);
        return pick;
    }

    private void resume(Node n) {
        if (!n.paused) return;
        n.paused = false;
        List<Runnable> backlog = new ArrayList<>(n.deferred);
        n.deferred.clear();
        for (Runnable r : backlog) {
            if (!n.up() || n.paused) break;
            r.run();
            checkAfterStep();
        }
    }

    private void calmDown() {
        calm = true;
        faults.add("t=" + now + " calm: network healed, every replica up");
        network.calm();
        for (Node n : nodes) {
            if (!n.up()) n.start(); else resume(n);
        }
    }

    // ---- checks ---------------------------------------------------------------------------------

    private void checkAfterStep() {
        int holders = 0;
        StringBuilder who = new StringBuilder();
        for (Node n : nodes) {
            if (!n.up()) continue;
            invariants.applied(n.id, n.replica.appliedThrough(), n.machine.digest(), now);
            if (n.replica.holdsLease()) {
                holders++;
                who.append(n.id).append(' ');
            }
        }
        invariants.leaseHolders(holders, who.toString().trim(), now);
    }

    private boolean converged() {
        for (Client c : clients) if (c.outstanding != null) return false;
        Node master = null;
        for (Node n : nodes) if (n.up() && n.replica.holdsLease()) master = n;
        if (master == null) return false;
        long through = master.replica.status().decidedThrough();
        for (Node n : nodes) {
            if (!n.up() || n.replica.appliedThrough() != through) return false;
        }
        return true;
    }

    private String convergenceReport() {
        StringBuilder b = new StringBuilder();
        for (Client c : clients) if (c.outstanding != null) b.append("client ").append(c.id).append(" waits for ").append(c.outstanding).append("; ");
        for (Node n : nodes) b.append(n.up() ? n.replica.status().toString() : "replica " + n.id + " down").append("; ");
        return b.toString();
    }

    private void schedule(long at, int node, Runnable action) {
        queue.add(new Event(at, seq++, node, false, action));
    }

    private void scheduleTick(long at, Node n, int incarnation) {
        queue.add(new Event(at, seq++, n.id, true, () -> tick(n, incarnation)));
    }
}
