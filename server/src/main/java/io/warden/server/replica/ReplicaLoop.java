package io.warden.server.replica;

import io.warden.api.Event;
import io.warden.api.Sequencer;
import io.warden.leases.MonotonicClock;
import io.warden.paxos.Command;
import io.warden.paxos.Message;
import io.warden.paxos.PaxosReplica;
import io.warden.paxos.PaxosStorage;
import io.warden.paxos.Ready;
import io.warden.paxos.ReplicaStatus;
import io.warden.paxos.Role;
import io.warden.server.cell.CellCommand;
import io.warden.server.cell.CellResult;
import io.warden.server.cell.CellState;
import io.warden.server.config.LoadLimits;
import io.warden.server.transport.PeerTransport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that drives the Paxos core with the real clock, disk and network; nothing else
 * touches the core or the cell state. Other threads hand it work through {@link #submit},
 * {@link #keepAlive}, {@link #read} and {@link #watch}, which return futures this thread completes.
 *
 * <p>Each turn: tick the core if due (first, so that a replica that was paused learns it lost its
 * lease before it serves anything), run every queued input, then carry out the core's Ready: send
 * the requests (Accepts, lease renewals) and answer the writes it decided at once, and hand the
 * sync and the replies that must wait for it to {@link BackgroundSync}; then the master's duties
 * ({@link MasterDuties}), and the reads whose read index has been applied while the lease still
 * holds. The loop never waits for the disk: while one batch is being made durable it proposes
 * the next and counts the votes for earlier ones (its own vote comes back once durable).
 *
 * <p>Inputs arrive in two lanes: an urgent one (peer messages, KeepAlives) that each turn empties
 * first, and a bounded one for client work (writes, reads, watches), taken at most
 * {@link #WORK_PER_TURN} a turn. Client load therefore delays neither the master's lease renewals
 * nor the KeepAlives of existing sessions, and past a bound it is refused ({@link LoadShedding}).
 *
 * <p>What an answered write promises: it was decided (accepted by a majority that had each fsynced
 * it) and applied here, so it survives any minority of crashes. What a served read promises: it
 * reflects every write answered anywhere in the cell before the read arrived (linearizable).
 */
public final class ReplicaLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaLoop.class);

    record Key(long clientId, long sequence) {}

    private record PendingWrite(CompletableFuture<CellResult> future, long startedNanos, CellCommand command) {}

    private record PendingRead(long index, Runnable serve, CompletableFuture<?> future) {}

    /** One input for the loop; {@code future} (if any) is failed should the loop stop first. */
    private record Task(Runnable run, CompletableFuture<?> future) {}

    /**
     * A KeepAlive's answer: the session is good for {@code ttlMillis} from when the request was
     * received, and still holds exactly {@code held} (a grant missing here was broken or expired:
     * the client stops vouching for it, as Chubby's KeepAlive replies carry events).
     */
    public record KeepAlive(long session, long ttlMillis, long timeoutMillis, List<Sequencer> held) {}

    /** Client work run per turn at most, so that one turn (and the next KeepAlive) stays short. */
    static final int WORK_PER_TURN = 1_024;
    /** Far above what peers and KeepAlives need; a bound only so that nothing grows without one. */
    static final int URGENT_CAPACITY = 100_000;
    private static final Task WAKE = new Task(() -> {}, null);

    private final PaxosReplica replica;
    private final CellState state;
    private final PeerTransport transport;
    private final MonotonicClock clock;
    private final long tickMillis;
    private final List<Integer> members;
    private final ServerMetrics metrics;
    private final MasterDuties duties;
    private final LoadShedding shedding;
    private final BackgroundSync syncs;
    private final EventWatches watches = new EventWatches();
    /** Peer messages, KeepAlives and the loop's own chores; emptied first every turn. */
    private final LinkedBlockingQueue<Task> urgent = new LinkedBlockingQueue<>(URGENT_CAPACITY);
    /** Client writes, reads and watches, bounded by maxQueuedRequests. */
    private final LinkedBlockingQueue<Task> work;
    /** Whether a wake-up for {@link #work} is already in {@link #urgent} (the loop blocks on that one only). */
    private final AtomicBoolean wakePending = new AtomicBoolean();
    /**
     * Set at the end of each turn: this master's window is full, so a client write queued now could
     * only wait for a decision; the vote that brings it wakes the loop, which queues the write then,
     * into the slot that goes out next. Writes queued meanwhile wake nothing (docs/benchmarks.md item 25).
     */
    private volatile boolean windowFull;
    private final Map<Key, PendingWrite> writes = new HashMap<>();
    private final ArrayDeque<PendingRead> reads = new ArrayDeque<>();
    private final Thread thread;
    private final List<Runnable> afterTurn = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile CellStatus status;
    private long internalSequence;
    private long eventsSeen;
    private int lastMaster;
    private Role lastRole = Role.FOLLOWER;

    public ReplicaLoop(PaxosReplica replica, PaxosStorage storage, CellState state, PeerTransport transport,
                       MonotonicClock clock, long tickMillis, List<Integer> members, ServerMetrics metrics,
                       LoadLimits loadLimits) {
        this.replica = replica;
        this.state = state;
        this.transport = transport;
        this.clock = clock;
        this.tickMillis = tickMillis;
        this.members = List.copyOf(members);
        this.metrics = metrics;
        this.duties = new MasterDuties(state, clock, this::proposeInternal);
        this.shedding = new LoadShedding(metrics.registry(), loadLimits);
        this.work = new LinkedBlockingQueue<>(loadLimits.maxQueuedRequests());
        this.eventsSeen = state.lastEventIndex();
        this.syncs = new BackgroundSync(replica.id(), storage, this::send,
            own -> stepLater(() -> own.forEach(replica::step)), metrics.fsyncLatency, metrics.slowFsyncs);
        this.thread = new Thread(this::run, "warden-replica-loop");
        publishStatus();
    }

    public void start() {
        transport.start(m -> stepLater(() -> replica.step(m)));
        syncs.start();
        thread.start();
    }

    /**
     * Queues a message for the core in the urgent lane: a peer's, or this replica's own vote back
     * from its sync. One dropped when the lane is full is like one lost on the network: Paxos retries.
     */
    private void stepLater(Runnable step) {
        if (!urgent.offer(new Task(step, null))) shedding.dropped("urgentQueue");
    }

    /** Refuses and counts work past this replica's load limits; any thread. */
    public LoadShedding shedding() {
        return shedding;
    }

    /**
     * Runs {@code hook} on this loop's thread at the end of every turn, and once after the last
     * (when the loop has failed what was pending): for work the turn's completions queued there.
     */
    public void afterEachTurn(Runnable hook) {
        afterTurn.add(hook);
    }

    /** Whether the caller is this loop's thread. */
    public boolean onLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** This replica's view now; cheap, any thread. */
    public CellStatus status() {
        return status;
    }

    /**
     * Proposes {@code command} as request {@code (clientId, sequence)} and completes with its result
     * once applied here: a retry of the same id gets the first outcome. An acquire that queued
     * completes when it is granted or its wait runs out. Fails with {@link NotMasterException} on a
     * non-master, or {@link UnavailableException} if mastership was lost while it was pending
     * (outcome unknown: retry with the same id).
     */
    public CompletableFuture<CellResult> submit(long clientId, long sequence, CellCommand command) {
        CompletableFuture<CellResult> f = new CompletableFuture<>();
        boolean newWork = LoadShedding.isNewWork(command);
        enqueueWork(f, newWork, true, () -> {
            Key key = new Key(clientId, sequence);
            PendingWrite pending = writes.get(key);
            if (pending != null) {
                pending.future.whenComplete((r, e) -> { if (e != null) f.completeExceptionally(e); else f.complete(r); });
                return;
            }
            if (!servingMaster()) {
                f.completeExceptionally(notServing());
                return;
            }
            CellResult refused = duties.precheck(command);
            if (refused != null) {
                f.complete(refused);
                return;
            }
            int bound = shedding.limits().maxPendingWrites();
            if (writes.size() >= LoadShedding.admitBelow(bound, newWork)) {
                f.completeExceptionally(shedding.refuse("maxPendingWrites", bound, newWork));
                return;
            }
            replica.propose(new Command(clientId, sequence, CellState.encode(duties.envelope(command))));
            metrics.proposals.mark();
            writes.put(key, new PendingWrite(f, System.nanoTime(), command));
            f.whenComplete((a, e) -> { if (e != null) urgent.offer(new Task(() -> writes.remove(key), null)); });
        });
        return f;
    }

    /** Renews a session's lease on the master, with no Paxos round; in the urgent lane. */
    public CompletableFuture<KeepAlive> keepAlive(long session) {
        CompletableFuture<KeepAlive> f = new CompletableFuture<>();
        enqueueUrgent(f, () -> {
            if (!servingMaster()) {
                f.completeExceptionally(notServing());
                return;
            }
            f.complete(duties.keepAlive(session));
        });
        return f;
    }

    /** KeepAlives go ahead of client work: overload must never expire a healthy session. */
    private void enqueueUrgent(CompletableFuture<?> f, Runnable task) {
        if (!running) {
            f.completeExceptionally(new UnavailableException("the replica is shutting down"));
        } else if (!urgent.offer(new Task(task, f))) {
            f.completeExceptionally(shedding.refuse("urgentQueue", URGENT_CAPACITY, false));
        }
    }

    /** The answer to a batched KeepAlive: the sessions renewed, and those the cell no longer knows. */
    public record KeepAlives(List<KeepAlive> renewed, List<Long> gone) {}

    /** Renews many sessions' leases in one turn of the loop, with no Paxos round; in the urgent lane. */
    public CompletableFuture<KeepAlives> keepAlive(List<Long> sessions) {
        CompletableFuture<KeepAlives> f = new CompletableFuture<>();
        enqueueUrgent(f, () -> {
            if (!servingMaster()) {
                f.completeExceptionally(notServing());
                return;
            }
            List<KeepAlive> renewed = new ArrayList<>(sessions.size());
            List<Long> gone = new ArrayList<>();
            for (long s : sessions) {
                KeepAlive k = duties.tryKeepAlive(s);
                if (k != null) renewed.add(k); else gone.add(s);
            }
            f.complete(new KeepAlives(renewed, gone));
        });
        return f;
    }

    /**
     * Runs {@code query} against the cell state as a linearizable read: only on the master, under
     * its lease, once it has applied every slot it knew decided when the read arrived.
     */
    public <T> CompletableFuture<T> read(Function<CellState, T> query) {
        CompletableFuture<T> f = new CompletableFuture<>();
        enqueueWork(f, false, false, () -> {
            OptionalLong index = replica.readIndex();
            if (index.isEmpty()) {
                f.completeExceptionally(notServing());
                return;
            }
            reads.add(new PendingRead(index.getAsLong(), () -> f.complete(query.apply(state)), f));
        });
        return f;
    }

    /** Events from index {@code from} that match {@code filter}, as soon as there is one (master only). */
    public CompletableFuture<EventWatches.Batch> watch(long from, Predicate<Event> filter, int max) {
        CompletableFuture<EventWatches.Batch> f = new CompletableFuture<>();
        read(s -> s).whenComplete((s, e) -> {
            if (e != null) f.completeExceptionally(e); else enqueueWork(f, false, false, () -> watches.add(state, from, filter, max, f));
        });
        return f;
    }

    /**
     * Queues client work, or refuses it when the lane is full (new work: half full). A {@code write}
     * queued while the window is full leaves the loop asleep: the next decision wakes it, or the next
     * tick if no vote comes.
     */
    private void enqueueWork(CompletableFuture<?> f, boolean newWork, boolean write, Runnable task) {
        if (!running) {
            f.completeExceptionally(new UnavailableException("the replica is shutting down"));
            return;
        }
        int bound = shedding.limits().maxQueuedRequests();
        if (work.size() >= LoadShedding.admitBelow(bound, newWork) || !work.offer(new Task(task, f))) {
            f.completeExceptionally(shedding.refuse("maxQueuedRequests", bound, newWork));
            return;
        }
        // The loop clears the flag before it drains the lane, so work queued after a drain always wakes it;
        // it sets windowFull before it looks at the lane again, so a write that skips the wake is seen then.
        if ((!write || !windowFull) && wakePending.compareAndSet(false, true)) urgent.offer(WAKE);
    }

    private boolean servingMaster() {
        return replica.readIndex().isPresent();
    }

    private RuntimeException notServing() {
        ReplicaStatus s = replica.status();
        if (s.role() != Role.MASTER) return new NotMasterException(s.masterId());
        return new UnavailableException("the master is not serving yet (recovering inherited slots or renewing its lease); retry shortly");
    }

    private void proposeInternal(CellCommand command) {
        replica.propose(new Command(0, ++internalSequence, CellState.encode(duties.envelope(command))));
    }

    private void run() {
        long nextTick = clock.nowMillis();
        List<Task> batch = new ArrayList<>();
        while (running) {
            try {
                long wait = work.isEmpty() ? nextTick - clock.nowMillis() : 0;
                Task first = wait > 0 ? urgent.poll(wait, TimeUnit.MILLISECONDS) : urgent.poll();
                long now = clock.nowMillis();
                if (now >= nextTick) {
                    replica.tick();
                    nextTick = now + tickMillis;
                }
                if (first != null) runTask(first);
                urgent.drainTo(batch, 8192);
                wakePending.set(false);
                work.drainTo(batch, WORK_PER_TURN);
                for (Task t : batch) runTask(t);
                batch.clear();
                carryOut();
                afterApply();
                duties.turn(replica.readIndex().isPresent(), replica.status().ballot().toString(), replica.id());
                carryOut();
                serveReads();
                publishStatus();
                windowFull = replica.windowFull();
                afterTurn.forEach(Runnable::run);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                // A storage failure leaves the core in an unknown state: stop rather than answer.
                log.error("replica loop failed; stopping this replica", e);
                running = false;
                Runtime.getRuntime().halt(70);
            }
        }
        failAll(new UnavailableException("the replica is shutting down"));
        afterTurn.forEach(Runnable::run);
    }

    /**
     * Runs one input. A request's own failure (a refused KeepAlive, a query that throws) fails that
     * request's future and nothing else; a storage failure, or a failure with no request to blame,
     * propagates and stops the replica.
     */
    private static void runTask(Task t) {
        try {
            t.run.run();
        } catch (java.io.UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            if (t.future == null) throw e;
            t.future.completeExceptionally(e);
        }
    }

    private void carryOut() {
        // This replica's own votes may come back to it at once: step them in, then carry out what follows.
        for (Ready r = replica.ready(); !r.isEmpty(); r = replica.ready()) carryOut(r);
    }

    /**
     * Requests (a master's Accepts and lease renewals) leave at once, so this replica's own fsync
     * overlaps the followers' (one disk write on the critical path instead of two); replies that
     * report what this replica promised or accepted (to itself among them) leave once it is durable,
     * from {@link BackgroundSync}. Decided writes are answered at once: a decision counts only
     * durable votes.
     */
    private void carryOut(Ready r) {
        List<Message> replies = new ArrayList<>();
        for (Message m : r.messages()) {
            if (Ready.mayPrecedeSync(m)) send(m); else replies.add(m);
        }
        // A follower (its replies are its votes, nothing to overlap them with) syncs here when nothing waits before it.
        boolean syncedHere = r.syncRequired() && replica.role() != Role.MASTER && syncs.idle();
        if (syncedHere) syncs.syncHere();
        if (!syncedHere && (r.syncRequired() || (!replies.isEmpty() && !syncs.idle()))) {
            syncs.after(r.syncRequired(), replies);
        } else {
            for (Message m : replies) {
                if (m.to() == replica.id()) replica.step(m); else send(m);
            }
        }
        if (!r.applied().isEmpty()) metrics.batchCommands.update(r.applied().size());
        for (Ready.Applied a : r.applied()) {
            PendingWrite w = writes.remove(new Key(a.command().clientId(), a.command().sequence()));
            if (w == null) continue;
            metrics.decideLatency.update(System.nanoTime() - w.startedNanos, TimeUnit.NANOSECONDS);
            if (a.disposition() == Ready.Disposition.TOO_OLD) {
                w.future.complete(new CellResult.Refused(409, "request-too-old", "request " + a.command().clientId() + "/"
                    + a.command().sequence() + " is older than the outcomes the cell still remembers for this client; it was not applied again"));
                continue;
            }
            duties.settle(w.command, CellState.decodeResult(a.result()), w.future);
        }
        for (Command c : r.abandoned()) {
            PendingWrite w = writes.remove(new Key(c.clientId(), c.sequence()));
            if (w != null) w.future.completeExceptionally(new UnavailableException(
                "mastership changed while the request was pending: its outcome is unknown; retry it with the same request id"));
        }
    }

    /** To another replica; any thread. */
    private void send(Message m) {
        if (m instanceof Message.LeaseRenew) metrics.leaseRenewals.inc();
        transport.send(m);
    }

    /** New events: grants and timeouts for waiting acquirers, ended sessions, watches. */
    private void afterApply() {
        if (state.lastEventIndex() == eventsSeen) return;
        for (Event e : state.eventsFrom(eventsSeen + 1, Integer.MAX_VALUE)) duties.observe(e);
        eventsSeen = state.lastEventIndex();
        watches.check(state);
    }

    private void serveReads() {
        if (reads.isEmpty()) return;
        OptionalLong index = replica.readIndex();
        if (index.isEmpty()) {
            RuntimeException e = notServing();
            for (PendingRead r : reads) r.future.completeExceptionally(e);
            reads.clear();
            return;
        }
        for (Iterator<PendingRead> it = reads.iterator(); it.hasNext(); ) {
            PendingRead r = it.next();
            if (replica.appliedThrough() < r.index) continue;
            it.remove();
            try {
                r.serve.run();
            } catch (RuntimeException e) {
                r.future.completeExceptionally(e); // a query's own failure is the reader's, not the replica's
            }
            metrics.readsServed.mark();
        }
    }

    private void publishStatus() {
        ReplicaStatus s = replica.status();
        if (s.role() != lastRole) {
            // An operator reading the log after a stall should see who led when, as with ZooKeeper's LEADING/FOLLOWING.
            log.info("replica {} is now {} (was {}), ballot {}, master {}, decided through {}",
                s.replicaId(), s.role(), lastRole, s.ballot(), s.masterId() == 0 ? "unknown" : s.masterId(), s.decidedThrough());
        }
        if (s.role() == Role.CANDIDATE && lastRole != Role.CANDIDATE) metrics.elections.inc();
        if (s.masterId() != lastMaster && s.masterId() != 0) metrics.masterChanges.inc();
        if (s.masterId() != 0) lastMaster = s.masterId();
        if (lastRole == Role.MASTER && s.role() != Role.MASTER) {
            watches.failAll(new NotMasterException(s.masterId()));
        }
        lastRole = s.role();
        List<CellStatus.PeerHealth> peers = new ArrayList<>(members.size());
        for (int id : members) {
            boolean self = id == s.replicaId();
            peers.add(new CellStatus.PeerHealth(id, self, self || transport.connected(id)));
        }
        status = new CellStatus(s, peers, writes.size(), reads.size(), state.sessionCount(), state.lockCount(),
            state.lastEventIndex());
    }

    private void failAll(RuntimeException e) {
        for (PendingWrite w : writes.values()) w.future.completeExceptionally(e);
        writes.clear();
        for (PendingRead r : reads) r.future.completeExceptionally(e);
        reads.clear();
        watches.failAll(e);
        duties.failAll(e);
        for (LinkedBlockingQueue<Task> lane : List.of(urgent, work)) {
            for (Task t = lane.poll(); t != null; t = lane.poll()) {
                if (t.future != null) t.future.completeExceptionally(e);
            }
        }
    }

    /**
     * Stops the loop after its current turn, then the syncs after the one under way; idempotent.
     * Neither thread is interrupted: an interrupt during an fsync would close the log's channel.
     */
    @Override
    public void close() {
        running = false;
        urgent.offer(WAKE);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        syncs.close();
    }
}
