package io.warden.server.http;

import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks in the order given, one pooled thread at a time, each task after the one before:
 * tasks given while a drain runs are run by it, so a burst costs one thread wake-up. Only for
 * tasks that never block (one that did would hold up every task behind it).
 *
 * <p>Tasks given on the holding thread (the replica loop's) wait for its {@link #flushHeld} at the
 * end of its turn: a turn's few answers ({@value #RUN_HERE_AT_MOST} or fewer) are then written on
 * that thread, saving the wake-up of a pool thread on the critical path of a lone client or a
 * lock handoff (docs/benchmarks.md, item 22); more go to the pool as a burst, so the loop's
 * next turn does not wait for them.
 */
final class SerialDrain implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialDrain.class);

    /** Set while this thread drains one (see {@link ConnectorExecutor}). */
    private static final ThreadLocal<Boolean> DRAINING = new ThreadLocal<>();

    static final int RUN_HERE_AT_MOST = 2;

    private final Executor pool;
    private final BooleanSupplier holdingThread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** @param holdingThread whether the calling thread holds its tasks until its {@link #flushHeld} */
    SerialDrain(Executor pool, BooleanSupplier holdingThread) {
        this.pool = pool;
        this.holdingThread = holdingThread;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (holdingThread.getAsBoolean()) return; // its flushHeld comes at the end of its turn
        if (draining.compareAndSet(false, true)) pool.execute(this::drain);
    }

    /**
     * On the holding thread, after its turn: runs the tasks here when there are few, else hands
     * them to the pool. Nothing to do when a drain is under way: it takes them (it polls until the
     * queue is empty, and looks again after it stops).
     */
    void flushHeld() {
        if (tasks.isEmpty() || !draining.compareAndSet(false, true)) return;
        if (atMost(RUN_HERE_AT_MOST)) drain(); else pool.execute(this::drain);
    }

    private boolean atMost(int n) {
        Iterator<Runnable> it = tasks.iterator();
        for (int seen = 0; it.hasNext(); seen++) {
            if (seen == n) return false;
            it.next();
        }
        return true;
    }

    /** Whether this thread is draining a serial drain now. */
    static boolean onDrainThread() {
        return DRAINING.get() != null;
    }

    private void drain() {
        DRAINING.set(Boolean.TRUE);
        try {
            drainAll();
        } finally {
            DRAINING.remove();
        }
    }

    private void drainAll() {
        do {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.warn("a task on the serial drain failed", e);
                }
            }
            draining.set(false);
            // A task given after the last poll and before the flag cleared found the drain running: take it.
        } while (!tasks.isEmpty() && draining.compareAndSet(false, true));
    }
}
