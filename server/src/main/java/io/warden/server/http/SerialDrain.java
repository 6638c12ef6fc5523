package io.warden.server.http;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks in the order given, one pooled thread at a time, each task after the one before:
 * tasks given while a drain runs are run by it, so a burst costs one thread wake-up. Only for
 * tasks that never block (one that did would hold up every task behind it).
 */
final class SerialDrain implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialDrain.class);

    /** Set while this thread drains one (see {@link ConnectorExecutor}). */
    private static final ThreadLocal<Boolean> DRAINING = new ThreadLocal<>();

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    SerialDrain(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (draining.compareAndSet(false, true)) pool.execute(this::drain);
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
