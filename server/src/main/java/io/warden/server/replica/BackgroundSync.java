package io.warden.server.replica;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import io.warden.paxos.Message;
import io.warden.paxos.PaxosStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's syncs, off its loop ({@link io.warden.paxos.Ready}'s background-sync rule). The loop
 * hands over each Ready's replies, saying whether that Ready wrote anything; this thread syncs once
 * for everything handed over so far (group commit), then sends the replies in the order they came,
 * and hands the replica's replies to itself (its own votes) back to the loop. Meanwhile the loop
 * goes on: a master proposes the next batch and counts its followers' votes while its own write is
 * being made durable. A follower's loop syncs on its own thread instead ({@link #syncHere}): its
 * vote waits for the sync either way, and Accepts that arrive meanwhile share the next one.
 *
 * <p>What leaves here promises what the synchronous order promised: a reply leaves only once every
 * write made before it was handed over is durable.
 */
final class BackgroundSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackgroundSync.class);

    private record Job(boolean sync, List<Message> replies) {}

    /**
     * An fsync this slow held up every vote of this replica (and a master's decisions): counted in
     * {@code warden.storage.fsync.slow} and logged, at most once per {@link #SLOW_LOG_EVERY_NANOS}.
     */
    static final long SLOW_SYNC_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long SLOW_LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Compared by identity: a Ready with nothing to sync or send makes a job equal to any such. */
    private static final Job STOP = new Job(false, List.of());

    private final int self;
    private final PaxosStorage storage;
    private final Consumer<Message> toPeer;
    private final Consumer<List<Message>> toLoop;
    private final Timer fsyncLatency;
    private final Counter slowSyncs;
    private int slowSinceLog; // guarded by this, like the two below
    private long slowestSinceLog;
    private long lastSlowLog = System.nanoTime() - SLOW_LOG_EVERY_NANOS;
    private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    /** Jobs handed over and not yet carried out; while any is, later replies must queue behind them. */
    private final AtomicInteger unfinished = new AtomicInteger();
    private final Thread thread;

    /**
     * @param toPeer sends one reply to another replica (any thread)
     * @param toLoop steps this replica's replies to itself into it, on the loop
     */
    BackgroundSync(int self, PaxosStorage storage, Consumer<Message> toPeer, Consumer<List<Message>> toLoop, Timer fsyncLatency,
                   Counter slowSyncs) {
        this.self = self;
        this.storage = storage;
        this.toPeer = toPeer;
        this.toLoop = toLoop;
        this.fsyncLatency = fsyncLatency;
        this.slowSyncs = slowSyncs;
        this.thread = new Thread(this::run, "warden-replica-sync");
    }

    void start() {
        thread.start();
    }

    /**
     * Whether a Ready that wrote nothing may send its replies at once, on the caller's thread:
     * only when nothing handed over earlier is still waiting (its replies go first).
     */
    boolean idle() {
        return unfinished.get() == 0;
    }

    /** Sends {@code replies} once a sync (if {@code sync}) and everything handed over before have been done. */
    void after(boolean sync, List<Message> replies) {
        unfinished.incrementAndGet();
        jobs.add(new Job(sync, replies));
    }

    private void run() {
        List<Job> batch = new ArrayList<>();
        List<Message> own = new ArrayList<>();
        try {
            while (true) {
                batch.add(jobs.take());
                jobs.drainTo(batch);
                if (batch.stream().anyMatch(j -> j == STOP)) return; // like a crash after the last reply sent: nothing is lost
                // One sync covers every write made before it starts: all of this batch's.
                if (batch.stream().anyMatch(Job::sync)) timedSync();
                for (Job j : batch) {
                    for (Message m : j.replies) {
                        if (m.to() == self) own.add(m); else toPeer.accept(m);
                    }
                }
                if (!own.isEmpty()) toLoop.accept(List.copyOf(own));
                own.clear();
                unfinished.addAndGet(-batch.size());
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A failed fsync may have dropped dirty pages: nothing after it may claim durability.
            log.error("sync failed; stopping this replica", e);
            Runtime.getRuntime().halt(70);
        }
    }

    /**
     * Syncs on the caller's thread, for a follower's loop: its vote waits for the sync either way,
     * and a hand-off to this thread costs a wake-up per round. Only while {@link #idle()}: then
     * nothing handed over earlier is still waiting to be sent, so whatever the caller sends after
     * this cannot overtake it. Throws what the sync throws (the caller stops the replica).
     */
    void syncHere() {
        if (!idle()) throw new IllegalStateException("a sync on the caller's thread while handed-over replies wait");
        timedSync();
    }

    private void timedSync() {
        Timer.Context t = fsyncLatency.time();
        storage.sync();
        long nanos = t.stop();
        if (nanos >= SLOW_SYNC_NANOS) slow(nanos);
    }

    /** From this thread or a caller of {@link #syncHere}, never both at once; synchronized for the fields all the same. */
    private synchronized void slow(long nanos) {
        slowSyncs.inc();
        slowSinceLog++;
        slowestSinceLog = Math.max(slowestSinceLog, nanos);
        long now = System.nanoTime();
        if (now - lastSlowLog < SLOW_LOG_EVERY_NANOS) return;
        log.warn("{} fsync(s) over {} ms in the last {} s, the slowest {} ms: this replica's votes waited for its disk",
            slowSinceLog, TimeUnit.NANOSECONDS.toMillis(SLOW_SYNC_NANOS), TimeUnit.NANOSECONDS.toSeconds(now - lastSlowLog),
            TimeUnit.NANOSECONDS.toMillis(slowestSinceLog));
        lastSlowLog = now;
        slowSinceLog = 0;
        slowestSinceLog = 0;
    }

    /** Stops after the batch under way (whose sync completes first); never interrupts a sync. */
    @Override
    public void close() {
        jobs.add(STOP);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
