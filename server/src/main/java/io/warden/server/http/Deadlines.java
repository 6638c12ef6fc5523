package io.warden.server.http;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Fails a request's future with {@link TimeoutException} once its time is up, checked every
 * {@link #SWEEP_MILLIS} on the HTTP server's scheduler thread; a deadline fires up to that much late.
 *
 * <p>Why not {@code CompletableFuture.orTimeout}: it puts a timer task per request in one shared
 * scheduler, whose thread is woken whenever a new task becomes the earliest; with few requests in
 * flight that is nearly every request (under W2, one wake-up of that thread per handoff on the
 * master, and a futex wake on the request's own path). Here a request costs a map insert and
 * removal, and the thread wakes {@code 1000 / SWEEP_MILLIS} times a second whatever the load;
 * after {@link #IDLE_SWEEPS} sweeps with nothing pending the sweeps stop until the next request.
 */
final class Deadlines {
    static final long SWEEP_MILLIS = 10;
    /** A second: long enough that one client's requests, one at a time, never restart the sweeps. */
    static final int IDLE_SWEEPS = 100;
    /** ~73 years: a longer wait has no deadline (and now + it could overflow the comparison). */
    static final long FOREVER_NANOS = Long.MAX_VALUE / 4;

    private final Scheduler scheduler;
    private final Map<CompletableFuture<?>, Long> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile boolean started;
    private int idleSweeps; // the sweeping thread's

    Deadlines(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Allows the sweeps; call once the scheduler runs (they end when it stops). */
    void start() {
        started = true;
        sweepSoon();
    }

    /**
     * Fails {@code f} with TimeoutException if it is not complete {@code millis} from now (past
     * {@link #FOREVER_NANOS}, never); returns {@code f}.
     */
    <T> CompletableFuture<T> within(CompletableFuture<T> f, long millis) {
        long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
        if (f.isDone() || nanos >= FOREVER_NANOS) return f;
        pending.put(f, System.nanoTime() + nanos);
        f.whenComplete((r, e) -> pending.remove(f));
        if (!sweeping.get()) sweepSoon();
        return f;
    }

    /** Futures waiting for their deadline (completed ones leave at once). */
    int pending() {
        return pending.size();
    }

    private void sweepSoon() {
        if (started && sweeping.compareAndSet(false, true)) {
            idleSweeps = 0;
            schedule();
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            pending.forEach((f, deadline) -> {
                if (now - deadline >= 0) f.completeExceptionally(new TimeoutException());
            });
            idleSweeps = pending.isEmpty() ? idleSweeps + 1 : 0;
        } finally {
            if (idleSweeps < IDLE_SWEEPS) {
                schedule();
            } else {
                sweeping.set(false);
                if (!pending.isEmpty()) sweepSoon(); // one added after the check above found the sweeps still on
            }
        }
    }

    private void schedule() {
        try {
            scheduler.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS); // a stopped scheduler drops it
        } catch (RejectedExecutionException e) {
            // the server is stopping: so do the sweeps
        }
    }
}
