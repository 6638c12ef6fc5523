package io.warden.paxos.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Leader/follower group commit for the {@link WriteAheadLog}. Appends collect in the open batch. A
 * sync caller that finds no flush under way takes the open batch and flushes it itself (it leads);
 * callers that arrive meanwhile park on the batch that holds their records. When a flush ends, the
 * leader unparks exactly the callers it made durable and, if the open batch has waiters, makes the
 * first of them the next leader. So one flush covers every append made before it started, batches
 * reach the disk one at a time in the order they were taken, and nobody spins.
 *
 * <p>Waking only the covered callers, each with its own unpark, matters on few cores: a shared
 * condition would wake every waiter into a convoy on one lock before the next flush could start.
 *
 * <p>Thread-safe. After a failed flush every call throws: a failed fsync may have dropped dirty
 * pages, so retrying it could report durability that is not there.
 */
final class GroupCommit {
    /** Writes and forces {@code frames}; then, if {@code rotate}, starts a new segment and returns its index. */
    @FunctionalInterface
    interface Flusher {
        long flush(List<byte[]> frames, boolean rotate) throws IOException;
    }

    /** Records handed to the disk together, and the callers waiting for them. */
    private static final class Batch {
        final List<byte[]> frames = new ArrayList<>();
        final List<Thread> waiters = new ArrayList<>(); // guarded by lock
        boolean rotate;
        long rotatedTo = -1; // written before done, read after it
        volatile boolean done;
        volatile Thread leader;

        boolean hasWork() {
            return rotate || !frames.isEmpty();
        }
    }

    private final Flusher flusher;
    private final ReentrantLock lock = new ReentrantLock();
    private Batch open = new Batch();
    private Batch inFlight;
    private boolean flushing; // a leader is flushing or has been chosen
    private long appended;
    private boolean closed;
    private volatile IOException failure;

    GroupCommit(Flusher flusher) {
        this.flusher = flusher;
    }

    /** Adds a framed record to the open batch; returns its sequence number (1, 2, ...). */
    long append(byte[] frame) {
        lock.lock();
        try {
            checkUsable();
            open.frames.add(frame);
            return ++appended;
        } finally {
            lock.unlock();
        }
    }

    /** Returns once every record appended before the call is durable. */
    void sync() {
        commit(false);
    }

    /**
     * Makes every record appended before the call durable, then has the flusher start a new
     * segment, and returns its index. Records appended after this returns land in that segment or
     * a later one; records appended concurrently with the call may land on either side.
     */
    long rotate() {
        return commit(true);
    }

    /** Flushes what was appended; later calls throw {@link IllegalStateException}. */
    void close() {
        lock.lock();
        try {
            if (closed) return;
        } finally {
            lock.unlock();
        }
        if (failure == null) sync();
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private long commit(boolean rotate) {
        Batch target;
        boolean lead;
        lock.lock();
        try {
            checkUsable();
            if (rotate) open.rotate = true;
            if (open.hasWork()) {
                target = open;
            } else if (inFlight != null) {
                target = inFlight; // our records, if any, are in it
            } else {
                return -1;
            }
            lead = !flushing; // then nothing is in flight, and target is the open batch
            if (lead) {
                flushing = true;
            } else {
                target.waiters.add(Thread.currentThread());
            }
        } finally {
            lock.unlock();
        }
        if (!lead) {
            awaitDoneOrLead(target);
            if (target.done) return target.rotatedTo;
            if (target.leader != Thread.currentThread()) throw failed();
        }
        return flushAsLeader();
    }

    /** Parks until {@code batch} is durable, this thread must flush it, or the log failed. */
    private void awaitDoneOrLead(Batch batch) {
        Thread me = Thread.currentThread();
        boolean interrupted = false;
        while (!batch.done && batch.leader != me && failure == null) {
            LockSupport.park(this);
            // park returns at once while the interrupt flag is set: clear it, restore it at the end
            interrupted |= Thread.interrupted();
        }
        if (interrupted) me.interrupt();
    }

    /**
     * Takes the open batch (only now, so a promoted leader also carries what was appended while it
     * woke up), flushes it, wakes the callers it covered and hands over to the next leader.
     */
    private long flushAsLeader() {
        Batch batch;
        lock.lock();
        try {
            batch = open;
            open = new Batch();
            inFlight = batch;
        } finally {
            lock.unlock();
        }
        IOException error = null;
        Error fatal = null;
        long rotatedTo = -1;
        try {
            rotatedTo = flusher.flush(batch.frames, batch.rotate);
        } catch (IOException | RuntimeException | Error e) {
            // Whatever went wrong, the waiters must be released and told: none may hang.
            error = e instanceof IOException io ? io : new IOException("flush failed", e);
            fatal = e instanceof Error err ? err : null;
            failure = error;
        }
        List<Thread> wake;
        Thread next = null;
        lock.lock();
        try {
            batch.rotatedTo = rotatedTo;
            batch.done = error == null;
            inFlight = null;
            wake = new ArrayList<>(batch.waiters);
            if (error != null) {
                wake.addAll(open.waiters); // they see the failure and throw
                flushing = false;
            } else if (open.hasWork() && !open.waiters.isEmpty()) {
                next = open.waiters.remove(0);
                open.leader = next; // flushing stays true: the next leader takes over
            } else {
                flushing = false;
            }
        } finally {
            lock.unlock();
        }
        // The covered callers first: some append again before the next leader takes the open batch,
        // which makes batches larger than waking the next leader first (measured on two cores).
        for (Thread t : wake) LockSupport.unpark(t);
        if (next != null) LockSupport.unpark(next);
        if (fatal != null) throw fatal;
        if (error != null) throw failed();
        return rotatedTo;
    }

    private void checkUsable() {
        if (closed) throw new IllegalStateException("write-ahead log is closed");
        if (failure != null) throw failed();
    }

    private UncheckedIOException failed() {
        return new UncheckedIOException("write-ahead log I/O failed; the log is unusable", failure);
    }
}
