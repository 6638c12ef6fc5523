package io.warden.server.replica;

import com.codahale.metrics.Timer;
import io.warden.leases.MonotonicClock;
import io.warden.paxos.Command;
import io.warden.paxos.Message;
import io.warden.paxos.PaxosReplica;
import io.warden.paxos.PaxosStorage;
import io.warden.paxos.Ready;
import io.warden.paxos.ReplicaStatus;
import io.warden.paxos.Role;
import io.warden.server.cell.CellState;
import io.warden.server.transport.PeerTransport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that drives the Paxos core with the real clock, disk and network; nothing else
 * touches the core or the cell state. Other threads hand it work through {@link #write} and
 * {@link #read}, which return futures completed by this thread.
 *
 * <p>Each turn: tick the core if due (first, so that a replica that was paused learns it lost its
 * lease before it serves anything), run every queued input, then carry out the core's Ready in its
 * order: fsync (one for everything since the last: group commit), send, answer writes, and serve
 * the reads whose read index has been applied while the lease still holds.
 *
 * <p>What an answered write promises: it was decided (accepted by a majority that had each fsynced
 * it) and applied here, so it survives any minority of crashes. What a served read promises: it
 * reflects every write answered anywhere in the cell before the read arrived (linearizable).
 */
public final class ReplicaLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaLoop.class);

    private record Key(long clientId, long sequence) {}

    private record PendingWrite(CompletableFuture<Ready.Applied> future, long startedNanos) {}

    private record PendingRead(long index, Runnable serve, CompletableFuture<?> future) {}

    /** One input for the loop; {@code future} (if any) is failed should the loop stop first. */
    private record Task(Runnable run, CompletableFuture<?> future) {}

    private final PaxosReplica replica;
    private final PaxosStorage storage;
    private final CellState state;
    private final PeerTransport transport;
    private final MonotonicClock clock;
    private final long tickMillis;
    private final List<Integer> members;
    private final ServerMetrics metrics;
    private final LinkedBlockingQueue<Task> inbox = new LinkedBlockingQueue<>();
    private final Map<Key, PendingWrite> writes = new HashMap<>();
    private final ArrayDeque<PendingRead> reads = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile CellStatus status;
    private int lastMaster;
    private Role lastRole = Role.FOLLOWER;

    public ReplicaLoop(PaxosReplica replica, PaxosStorage storage, CellState state, PeerTransport transport,
                       MonotonicClock clock, long tickMillis, List<Integer> members, ServerMetrics metrics) {
        this.replica = replica;
        this.storage = storage;
        this.state = state;
        this.transport = transport;
        this.clock = clock;
        this.tickMillis = tickMillis;
        this.members = List.copyOf(members);
        this.metrics = metrics;
        this.thread = new Thread(this::run, "warden-replica-loop");
        publishStatus();
    }

    public void start() {
        transport.start(m -> inbox.add(new Task(() -> replica.step(m), null)));
        thread.start();
    }

    /** This replica's view now; cheap, any thread. */
    public CellStatus status() {
        return status;
    }

    /**
     * Proposes {@code payload} as command {@code (clientId, sequence)}. Completes when it is applied
     * here (a retry of the same id is answered with the first outcome); fails with
     * {@link NotMasterException} if this replica is not master, or {@link UnavailableException} if
     * mastership was lost while it was pending (outcome unknown).
     */
    public CompletableFuture<Ready.Applied> write(long clientId, long sequence, byte[] payload) {
        CompletableFuture<Ready.Applied> f = new CompletableFuture<>();
        submit(f, () -> {
            Key key = new Key(clientId, sequence);
            PendingWrite pending = writes.get(key);
            if (pending != null) {
                pending.future.whenComplete((a, e) -> { if (e != null) f.completeExceptionally(e); else f.complete(a); });
                return;
            }
            if (!replica.propose(new Command(clientId, sequence, payload))) {
                f.completeExceptionally(new NotMasterException(replica.status().masterId()));
                return;
            }
            metrics.proposals.mark();
            writes.put(key, new PendingWrite(f, System.nanoTime()));
            f.whenComplete((a, e) -> { if (e != null) inbox.add(new Task(() -> writes.remove(key), null)); });
        });
        return f;
    }

    /**
     * Runs {@code query} against the cell state as a linearizable read: only on the master, under
     * its lease, once it has applied every slot it knew decided when the read arrived.
     */
    public <T> CompletableFuture<T> read(Function<CellState, T> query) {
        CompletableFuture<T> f = new CompletableFuture<>();
        submit(f, () -> {
            OptionalLong index = replica.readIndex();
            if (index.isEmpty()) {
                f.completeExceptionally(notServing());
                return;
            }
            reads.add(new PendingRead(index.getAsLong(), () -> f.complete(query.apply(state)), f));
        });
        return f;
    }

    private void submit(CompletableFuture<?> f, Runnable task) {
        if (!running) {
            f.completeExceptionally(new UnavailableException("the replica is shutting down"));
            return;
        }
        inbox.add(new Task(task, f));
    }

    private RuntimeException notServing() {
        ReplicaStatus s = replica.status();
        if (s.role() != Role.MASTER) return new NotMasterException(s.masterId());
        return new UnavailableException("the master is not serving yet (recovering inherited slots or renewing its lease); retry shortly");
    }

    private void run() {
        long nextTick = clock.nowMillis();
        List<Task> batch = new ArrayList<>();
        while (running) {
            try {
                long wait = nextTick - clock.nowMillis();
                Task first = wait > 0 ? inbox.poll(wait, TimeUnit.MILLISECONDS) : inbox.poll();
                long now = clock.nowMillis();
                if (now >= nextTick) {
                    replica.tick();
                    nextTick = now + tickMillis;
                }
                if (first != null) {
                    first.run.run();
                    inbox.drainTo(batch, 8192);
                    for (Task t : batch) t.run.run();
                    batch.clear();
                }
                carryOut(replica.ready());
                serveReads();
                publishStatus();
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
    }

    private void carryOut(Ready r) {
        if (r.isEmpty()) return;
        if (r.syncRequired()) {
            Timer.Context fsync = metrics.fsyncLatency.time();
            storage.sync();
            fsync.stop();
        }
        for (Message m : r.messages()) {
            if (m instanceof Message.LeaseRenew) metrics.leaseRenewals.inc();
            transport.send(m);
        }
        if (!r.applied().isEmpty()) metrics.batchCommands.update(r.applied().size());
        for (Ready.Applied a : r.applied()) {
            PendingWrite w = writes.remove(new Key(a.command().clientId(), a.command().sequence()));
            if (w == null) continue;
            metrics.decideLatency.update(System.nanoTime() - w.startedNanos, TimeUnit.NANOSECONDS);
            w.future.complete(a);
        }
        for (Command c : r.abandoned()) {
            PendingWrite w = writes.remove(new Key(c.clientId(), c.sequence()));
            if (w != null) w.future.completeExceptionally(new UnavailableException(
                "mastership changed while the write was pending: its outcome is unknown; retry it with the same request id"));
        }
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
            r.serve.run();
            metrics.readsServed.mark();
        }
    }

    private void publishStatus() {
        ReplicaStatus s = replica.status();
        if (s.role() == Role.CANDIDATE && lastRole != Role.CANDIDATE) metrics.elections.inc();
        if (s.masterId() != lastMaster && s.masterId() != 0) metrics.masterChanges.inc();
        if (s.masterId() != 0) lastMaster = s.masterId();
        lastRole = s.role();
        List<CellStatus.PeerHealth> peers = new ArrayList<>(members.size());
        for (int id : members) {
            boolean self = id == s.replicaId();
            peers.add(new CellStatus.PeerHealth(id, self, self || transport.connected(id)));
        }
        status = new CellStatus(s, peers, writes.size(), reads.size());
    }

    private void failAll(RuntimeException e) {
        for (PendingWrite w : writes.values()) w.future.completeExceptionally(e);
        writes.clear();
        for (PendingRead r : reads) r.future.completeExceptionally(e);
        reads.clear();
        for (Task t = inbox.poll(); t != null; t = inbox.poll()) {
            if (t.future != null) t.future.completeExceptionally(e);
        }
    }

    /**
     * Stops the loop after its current turn (whose fsync completes first); idempotent. It does not
     * interrupt the thread: an interrupt during an fsync would close the log's channel.
     */
    @Override
    public void close() {
        running = false;
        inbox.add(new Task(() -> {}, null));
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
