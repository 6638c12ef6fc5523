package io.warden.client;

import io.warden.api.LockMode;
import io.warden.api.Locks;
import io.warden.api.Sequencer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held lock: its {@link Sequencer} and fencing token, and whether the library still vouches for
 * it. Close it (try-with-resources) to release.
 *
 * <p>{@link #isValid()} turns false, {@link #checkValid()} throws, {@link #onLost} callbacks run and
 * {@link #runWhileHeld} interrupts its task the moment the grant is lost: the session entered
 * JEOPARDY or EXPIRED, or the cell no longer lists it (broken by an administrator, or expired). A
 * lost grant never becomes valid again. Hand {@link #token()} to every resource you touch under the
 * lock: it rejects tokens older than the newest it has seen, which covers the window no lease can
 * (a pause after the last check).
 *
 * <p>Threading: thread-safe; callbacks run on the client's scheduler.
 */
public final class Grant implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Grant.class);

    private final Session session;
    private final Sequencer sequencer;
    private final CopyOnWriteArrayList<Runnable> onLost = new CopyOnWriteArrayList<>();
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final long adoptedAt = Session.monotonicNow();
    private volatile String lostBecause;

    Grant(Session session, Sequencer sequencer) {
        this.session = session;
        this.sequencer = sequencer;
    }

    long adoptedAt() {
        return adoptedAt;
    }

    public Sequencer sequencer() {
        return sequencer;
    }

    public long token() {
        return sequencer.token();
    }

    public String lock() {
        return sequencer.lock();
    }

    public LockMode mode() {
        return sequencer.mode();
    }

    /** True while neither released nor lost, and the session is SAFE at this instant. */
    public boolean isValid() {
        return !lost.get() && !released.get() && session.isSafe();
    }

    /** Throws {@link LockLostException} unless {@link #isValid()}. Call it before every protected action. */
    public void checkValid() {
        if (isValid()) return;
        if (released.get()) throw new LockLostException(sequencer.lock() + " was released");
        throw new LockLostException(sequencer.lock() + " (token " + token() + ") is lost: "
            + (lostBecause != null ? lostBecause : "session " + session.id() + " is " + session.state()));
    }

    /** Runs {@code callback} when the grant is lost (at once, if it already is); not on a clean release. */
    public void onLost(Runnable callback) {
        onLost.add(callback);
        if (lost.get() && onLost.remove(callback)) session.client().scheduler.execute(callback);
    }

    /**
     * Runs {@code task} on a new thread and interrupts it the moment the grant is lost (the gap
     * Curator leaves open: apache/curator#985). Returns its result, or throws
     * {@link LockLostException} if the grant was lost before it finished.
     */
    public <T> T runWhileHeld(Callable<T> task) throws Exception {
        checkValid();
        Object[] result = new Object[1];
        Exception[] failure = new Exception[1];
        Thread worker = new Thread(() -> {
            try {
                result[0] = task.call();
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "warden-held-" + sequencer.lock());
        Runnable interrupt = worker::interrupt;
        onLost(interrupt);
        worker.start();
        try {
            worker.join();
        } finally {
            onLost.remove(interrupt);
        }
        if (lost.get()) checkValid();
        if (failure[0] != null) throw failure[0];
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /** Sets the lock's value (exclusive holders only), e.g. a leader's address. */
    public void setValue(String value) {
        checkValid();
        Transport t = session.client().transport;
        WardenClient.join(() -> t.call("POST", "/v1/locks/value", new Locks.ValueRequest(sequencer.lock(), session.id(), value),
            Locks.ValueSet.class, t.newRequestId(), Duration.ZERO));
    }

    /** Releases the lock at the cell (no lock-delay); idempotent. */
    public void release() {
        if (!released.compareAndSet(false, true)) return;
        session.forget(this);
        try {
            WardenClient.join(() -> session.releaseAtCell(sequencer.lock()));
        } catch (WardenException e) {
            if (e.status() != 409 && e.status() != 404) throw e; // not held any more: nothing to release
        }
    }

    @Override
    public void close() {
        release();
    }

    boolean isLost() {
        return lost.get();
    }

    /** Why the grant was lost (session in jeopardy or expired, broken, superseded), or empty if it was not. */
    public java.util.Optional<String> lostReason() {
        return lost.get() ? java.util.Optional.ofNullable(lostBecause) : java.util.Optional.empty();
    }

    void lose(String why) {
        if (released.get() || !lost.compareAndSet(false, true)) return;
        lostBecause = why;
        List<Runnable> callbacks = List.copyOf(onLost);
        onLost.clear();
        for (Runnable r : callbacks) session.client().scheduler.execute(r);
    }

    /** A lost grant still listed at the cell: release it there, in the background. */
    void releaseQuietly() {
        session.client().scheduler.execute(() -> {
            try {
                release();
            } catch (RuntimeException e) {
                log.debug("releasing lost grant {} failed", sequencer, e);
            }
        });
    }

    @Override
    public String toString() {
        return "Grant[" + sequencer + (lost.get() ? ", lost" : released.get() ? ", released" : "") + "]";
    }
}
