package io.warden.client;

import io.warden.api.LockMode;
import io.warden.api.Locks;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock name in a session, with the mode and lock-delay to acquire it with. Immutable; cheap.
 *
 * <p>Acquiring waits in the cell's FIFO queue (no polling); a grant is returned only while the
 * session is SAFE. Every acquire carries a request id, so a retry through a fail-over never gets a
 * second grant. Blocking variants block the caller; async ones complete on the client's threads.
 */
public final class LockHandle {
    private static final Logger log = LoggerFactory.getLogger(LockHandle.class);

    /** The longest single wait asked of the cell; {@link #acquire()} repeats it. */
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private final Session session;
    private final String name;
    private final LockMode mode;
    private final Duration lockDelay;

    LockHandle(Session session, String name, LockMode mode, Duration lockDelay) {
        this.session = session;
        this.name = name;
        this.mode = mode;
        this.lockDelay = lockDelay;
    }

    public String name() {
        return name;
    }

    public LockHandle shared() {
        return new LockHandle(session, name, LockMode.SHARED, lockDelay);
    }

    public LockHandle exclusive() {
        return new LockHandle(session, name, LockMode.EXCLUSIVE, lockDelay);
    }

    /** How long the lock stays unavailable to others if this holder's session dies (the cell bounds it). */
    public LockHandle withLockDelay(Duration d) {
        return new LockHandle(session, name, mode, d);
    }

    /** Waits until granted (or interrupted, or the session leaves SAFE). */
    public Grant acquire() throws InterruptedException {
        while (true) {
            if (Thread.interrupted()) throw new InterruptedException();
            Optional<Grant> g = acquire(MAX_WAIT);
            if (g.isPresent()) return g.get();
        }
    }

    /** Waits up to {@code timeout}; empty if not granted in time. */
    public Optional<Grant> acquire(Duration timeout) {
        return WardenClient.join(() -> acquireAsync(timeout));
    }

    /** One try, no waiting; empty if the lock is held, queued for, or in its lock-delay. */
    public Optional<Grant> tryAcquire() {
        return acquire(Duration.ZERO);
    }

    /**
     * Asks once, waiting up to {@code timeout} at the cell. If the caller gives up first (an
     * interrupted blocking call) or the outcome is unknown (the cell could not be reached to the
     * end), the wait is withdrawn at the cell by a release, so that the session is not granted, or
     * left holding, a lock nobody knows it has (as Curator deletes its node); unless the session
     * held this lock already.
     */
    public CompletableFuture<Optional<Grant>> acquireAsync(Duration timeout) {
        session.requireSafe();
        boolean heldAlready = session.hasGrant(name);
        Locks.AcquireRequest body = new Locks.AcquireRequest(name, session.id(), mode.wire(), timeout.toMillis(),
            lockDelay == null ? null : lockDelay.toMillis());
        Transport t = session.client().transport;
        return t.call("POST", "/v1/locks/acquire", body, Locks.Granted.class, t.newRequestId(), timeout)
            .handle((granted, error) -> {
                if (error == null) return Optional.of(session.adopt(granted.sequencer()));
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof WardenException w && w.status() == 409 && w.type().equals("not-acquired")) return Optional.<Grant>empty();
                boolean answered = cause instanceof WardenException w && w.status() >= 400 && w.status() < 500; // refused: nothing queued
                if (!answered && !heldAlready && timeout.toMillis() > 0) withdrawQuietly();
                if (cause instanceof RuntimeException r) throw r;
                throw new WardenException("acquire failed: " + cause, cause);
            });
    }

    /**
     * Best effort, on a pooled thread (the caller's may be interrupted); a session that has ended
     * holds and waits for nothing anyway.
     */
    private void withdrawQuietly() {
        session.client().scheduler.execute(() -> {
            try {
                session.releaseAtCell(name).join();
            } catch (RuntimeException e) {
                log.debug("withdrawing the wait for {} failed", name, e);
            }
        });
    }

    @Override
    public String toString() {
        return "LockHandle[" + name + ", " + mode.wire() + "]";
    }
}
