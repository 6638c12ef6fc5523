package io.warden.jepsen.workload;

import io.warden.client.Grant;
import io.warden.client.LockLostException;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.jepsen.history.Functions;
import io.warden.jepsen.history.HistoryRecorder;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * One client of a workload, run on its own thread: a {@link WardenClient} of its own (with its
 * own scheduler, so that it can crash), one session at a time, and the history process it records
 * under. Subclasses implement {@link #step()}: one or a few operations, each recorded as an invoke
 * followed by exactly one completion.
 *
 * <p>The recording rules, Jepsen's:
 * <ul>
 *   <li>{@code ok}: the call took effect; {@code fail}: it certainly did not (the cell refused, or
 *       the library refused before sending); {@code info}: unknown (no answer within the retry
 *       deadline, a 503 "outcome unknown", anything unexpected).</li>
 *   <li>After an {@code info} the process is retired and never used again; the worker continues as
 *       a new process. If the unknown call may have left state at the cell under the session (a
 *       grant, a membership), that client is closed in the background, closing its session.</li>
 * </ul>
 * The loop stops at the run's deadline or after {@link WorkloadContext#maxOpsPerWorker()} ops.
 */
public abstract class Worker implements Runnable {
    /** The history's {@code f} of a client crash (the worker stops its client's KeepAlives on purpose). */
    public static final String CRASH = "crash";

    protected final WorkloadContext ctx;
    protected final int index;
    protected final SplittableRandom random;
    private final HistoryRecorder recorder;
    private int process;
    private boolean inFlight;
    private ScheduledThreadPoolExecutor scheduler;
    private WardenClient client;
    private Session session;
    private long ops;

    protected Worker(WorkloadContext ctx, int index) {
        this.ctx = ctx;
        this.index = index;
        this.random = ctx.newRandom();
        this.recorder = ctx.recorder();
    }

    /** One step of the workload: a few operations. */
    protected abstract void step() throws InterruptedException;

    /** Called once when the loop ends, before the client is closed (e.g. to release a held lock). */
    protected void finish() {}

    @Override
    public final void run() {
        process = recorder.newProcess();
        try {
            while (!ctx.stopped() && ops < ctx.maxOpsPerWorker()) {
                step();
                boolean jeopardy = session != null && session.state() == Session.State.JEOPARDY;
                // In jeopardy the library refuses every grant at once: give it time to recover.
                Thread.sleep(random.nextLong(ctx.settings().opPauseMillis() + 1) + (jeopardy ? 100 : 0));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("[jepsen] worker " + index + " stopped by a harness error: " + e);
            e.printStackTrace();
        } finally {
            if (inFlight) {
                info("the worker stopped with this operation in flight");
            }
            try {
                finish();
            } finally {
                closeClient();
            }
        }
    }

    // ------------------------------------------------------------------ the client and its session

    /** This worker's client, built on first use. */
    protected final WardenClient client() {
        if (client == null) {
            // One thread: the library's callbacks then run strictly in order (see stopOnLoss).
            scheduler = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = Executors.defaultThreadFactory().newThread(r);
                t.setName("jepsen-w" + index + "-client");
                t.setDaemon(true);
                return t;
            });
            scheduler.setRemoveOnCancelPolicy(true);
            ClientSettings s = ctx.settings();
            List<String> endpoints = new java.util.ArrayList<>(ctx.endpoints());
            java.util.Collections.rotate(endpoints, -index); // workers first contact different replicas
            client = WardenClient.builder().endpoints(endpoints.toArray(String[]::new))
                    .scheduler(scheduler).requestTimeout(s.requestTimeout())
                    .retryPolicy(s.retryPolicy()).sessionGrace(s.sessionGrace()).driftBound(s.driftBound()).build();
        }
        return client;
    }

    /**
     * The current session, opened (and recorded as {@code open-session}, ok value: its id) if there
     * is none or it expired. Null if it could not be opened now.
     */
    protected final Session session() {
        if (session != null && session.state() != Session.State.EXPIRED) {
            return session;
        }
        session = null;
        invoke(Functions.OPEN_SESSION, null, null);
        try {
            Session s = client().newSession(ctx.settings().sessionTimeout(), "jepsen-w" + index + "-p" + process);
            ok(s.id());
            session = s;
            return s;
        } catch (RuntimeException e) {
            failed(e);
            return null;
        }
    }

    /** The current session if one is open (no op recorded), else null. */
    protected final Session currentSession() {
        return session;
    }

    /**
     * Records a proof of life ({@code keepalive}): ok iff the library vouches for the session at
     * this instant (its local lease, renewed by KeepAlives, holds), so the cell cannot have expired
     * it before the invoke. The checkers are told a KeepAlive proves nothing beyond its invoke.
     */
    protected final void probe() {
        Session s = session;
        if (s == null) {
            return;
        }
        invoke(Functions.KEEPALIVE, null, null);
        if (s.isSafe()) {
            ok();
        } else {
            fail("session " + s.id() + " is " + s.state());
        }
    }

    /**
     * Crashes this client on purpose: stops its KeepAlives without closing its session, so the cell
     * expires the session after its timeout and frees its lock only after the lock-delay. Recorded
     * as an ok {@value #CRASH} op; {@code heldLock} (null if none) with {@code heldToken} is recorded
     * lost for this process when the cell expires the session (see {@link SessionWatcher}). The
     * worker continues as a new process with a new client.
     */
    protected final void crash(String heldLock, long heldToken) {
        Session s = session;
        invoke(CRASH, heldLock, heldLock == null ? null : heldToken);
        if (s != null && heldLock != null) {
            ctx.crashed().crashed(s.id(), List.of(new CrashedSessions.Held(process, heldLock, heldToken)));
        }
        ok();
        if (scheduler != null) {
            scheduler.shutdownNow(); // no KeepAlive, watchdog or retry runs again; the session is never closed
        }
        if (client != null) client.abandon(); // its connections go too
        scheduler = null;
        client = null;
        session = null;
        process = recorder.newProcess();
    }

    /**
     * Acquires {@code lock} with the run's lock-delay and wait, recorded as an {@code acquire} op
     * (ok with the token, or fail); the grant, watched by {@link #stopOnLoss}, or null if not granted.
     */
    protected final Grant acquireRecorded(Session s, String lock) {
        invoke(Functions.ACQUIRE, lock, null);
        try {
            Optional<Grant> got = s.lock(lock).withLockDelay(ctx.settings().lockDelay())
                    .acquire(ctx.settings().acquireWait());
            if (got.isEmpty()) {
                fail("not-acquired within " + ctx.settings().acquireWait().toMillis() + " ms");
                return null;
            }
            Grant grant = got.get();
            stopOnLoss(grant);
            ok(grant.token());
            return grant;
        } catch (RuntimeException e) {
            failed(e);
            return null;
        }
    }

    /**
     * Makes this client stop dead the moment {@code grant} is lost: its scheduler is shut down from
     * the loss callback, so no KeepAlive, and no background release of the lost grant, ever runs
     * again; the worker then records the loss and calls {@link #abandonAfterLoss()}. Without this,
     * the library would release the lost grant at the cell as soon as the session is confirmed
     * again, freeing the lock at once, at an instant no recorded op could tell the checkers; this
     * way the cell frees it only when it expires the session, after the lock-delay (a common
     * application policy, too: a process that lost its lock stops).
     */
    protected final void stopOnLoss(Grant grant) {
        ScheduledThreadPoolExecutor s = scheduler;
        if (s != null) {
            grant.onLost(s::shutdownNow);
        }
    }

    /** Stops this client dead now (no KeepAlive or callback runs again); the worker goes on regardless. */
    protected final void freezeClient() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** After a lost grant (see {@link #stopOnLoss}): drops this client as crashed, goes on with a new one. */
    protected final void abandonAfterLoss() {
        crash(null, 0);
    }

    private void abandon() {
        WardenClient c = client;
        ScheduledThreadPoolExecutor s = scheduler;
        client = null;
        session = null;
        scheduler = null;
        if (c != null) {
            ctx.closeLater(() -> {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    // the session will expire at the cell instead
                } finally {
                    s.shutdown(); // lets queued callbacks (lost grants) run
                }
            });
        }
    }

    private void closeClient() {
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException e) {
                // its sessions expire at the cell instead
            }
            scheduler.shutdown();
        }
        client = null;
        session = null;
        scheduler = null;
    }

    // ------------------------------------------------------------------ recording

    /** This worker's current history process. */
    protected final int process() {
        return process;
    }

    /** The current session's id, or null. */
    protected final Long sessionId() {
        return session == null ? null : session.id();
    }

    protected final void invoke(String f, String key, Object value) {
        recorder.invoke(process, f, key, value, sessionId());
        inFlight = true;
        ops++;
    }

    protected final void ok() {
        recorder.ok(process);
        inFlight = false;
    }

    protected final void ok(Object value) {
        recorder.ok(process, value);
        inFlight = false;
    }

    /** Completes the op {@code ok} with {@code value} and a note saying how (e.g. {@code "lost: <why>"}). */
    protected final void ok(Object value, String note) {
        recorder.ok(process, value, note);
        inFlight = false;
    }

    protected final void fail(String why) {
        recorder.fail(process, why);
        inFlight = false;
    }

    /**
     * Completes the op {@code info}, retires the process and closes the client (its session may
     * hold what the unknown call did) in the background; the worker goes on as a new process.
     */
    protected final void info(String why) {
        recorder.info(process, why);
        inFlight = false;
        abandon();
        process = recorder.newProcess();
    }

    /** Completes the op after {@code e}: {@code fail} if the call certainly had no effect, else {@code info}. */
    protected final void failed(RuntimeException e) {
        if (isIndeterminate(e)) {
            info(describe(e));
        } else {
            fail(describe(e));
            if (e instanceof WardenException w && w.status() == 404 && session != null
                    && w.type().contains("session")) {
                session = null; // the cell no longer knows it: open a new one next time
            }
        }
    }

    /** True if a call that threw {@code e} may still have taken effect. */
    static boolean isIndeterminate(RuntimeException e) {
        if (e instanceof LockLostException) {
            return false; // refused by the library before anything was sent
        }
        if (e instanceof WardenException w) {
            return w.isRetryable() || w.status() >= 500;
        }
        return true; // unexpected: assume the worst
    }

    static String describe(RuntimeException e) {
        if (e instanceof WardenException w) {
            return w.type() + (w.status() > 0 ? " (" + w.status() + ")" : "") + ": " + w.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Sleeps up to {@code millis}, waking early when the run stops. */
    protected final void sleepUnlessStopped(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!ctx.stopped()) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(left, 50));
        }
    }
}
