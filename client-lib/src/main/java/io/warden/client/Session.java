package io.warden.client;

import io.warden.api.Locks;
import io.warden.api.Sequencer;
import io.warden.api.Sessions;
import io.warden.leases.DriftBound;
import io.warden.leases.LeaseTerms;
import io.warden.leases.MonotonicClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session: this client's lease at the cell, kept alive in the background by KeepAlives, and the
 * cell's failure detector for this client. Locks and memberships belong to a session.
 *
 * <p><b>The local lease.</b> Each KeepAlive reply says how long the cell will keep the session; the
 * library counts it from the moment the KeepAlive was <em>sent</em>, shortened by the drift bound
 * ({@link LeaseTerms#holderMillis()}, the same arithmetic the cell's master lease uses). While that
 * local lease holds, the session is {@link State#SAFE}: the cell cannot have expired it, so every
 * grant it holds is really held.
 *
 * <p><b>States.</b> {@code SAFE} → {@code JEOPARDY} the moment the local lease runs out unconfirmed:
 * the library stops vouching for every grant ({@link Grant#isValid()} turns false, {@link Grant#onLost}
 * callbacks run, {@link Grant#runWhileHeld} interrupts its task) and tells listeners; it keeps
 * sending KeepAlives. {@code JEOPARDY} → {@code SAFE} if the cell confirms the session within the
 * grace period (grants lost stay lost; the library releases them at the cell), or → {@code EXPIRED}
 * when the grace runs out or the cell says the session is gone. {@code EXPIRED} is final.
 *
 * <p>Threading: thread-safe. Listeners and callbacks run on the client's scheduler, never on the
 * caller's thread, and must not block for long.
 */
public final class Session implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final MonotonicClock CLOCK = SystemClock.monotonic();
    private static final long RETRY_MILLIS = 100;

    /** What the library can say of the session right now. */
    public enum State { SAFE, JEOPARDY, EXPIRED }

    /** Told of every state change, in order, on the client's scheduler. */
    @FunctionalInterface
    public interface Listener {
        void stateChanged(Session session, State from, State to);
    }

    private final WardenClient client;
    private final long id;
    private final long timeoutMillis;
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> expired = new CompletableFuture<>();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private volatile State state = State.SAFE;
    private long localLeaseUntil;
    private long jeopardySince;
    private ScheduledFuture<?> watchdog;
    private boolean closing;
    private CompletableFuture<Void> notifications = CompletableFuture.completedFuture(null);

    Session(WardenClient client, long id, long timeoutMillis, long ttlMillis, long sentAt) {
        this.client = client;
        this.id = id;
        this.timeoutMillis = timeoutMillis;
        synchronized (this) {
            localLeaseUntil = sentAt + terms(ttlMillis).holderMillis();
            armWatchdog(localLeaseUntil);
        }
        scheduleKeepAlive(Math.max(1, alignedDelay(ttlMillis / 3, ttlMillis)));
    }

    static long monotonicNow() {
        return CLOCK.nowMillis();
    }

    public long id() {
        return id;
    }

    public Duration timeout() {
        return Duration.ofMillis(timeoutMillis);
    }

    public State state() {
        return state;
    }

    /** SAFE and the local lease still holds at this instant (not only at the last check). */
    public synchronized boolean isSafe() {
        return state == State.SAFE && monotonicNow() < localLeaseUntil;
    }

    /** Completes when the session is EXPIRED (or closed); never completes exceptionally. */
    public CompletableFuture<Void> expired() {
        return expired;
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /** A handle on the lock {@code name} (like {@code /orders/primary}), exclusive by default. */
    public LockHandle lock(String name) {
        return new LockHandle(this, name, io.warden.api.LockMode.EXCLUSIVE, null);
    }

    /** Group membership tied to this session. */
    public Membership group(String group) {
        return new Membership(this, group);
    }

    /** Leader election on the lock {@code name}. */
    public LeaderElection election(String name) {
        return new LeaderElection(this, name);
    }

    WardenClient client() {
        return client;
    }

    void requireSafe() {
        if (!isSafe()) throw new WardenException(409, "session-not-safe", "session " + id + " is " + state + "; no lock can be vouched for");
    }

    /** A grant the cell just made; lost at once if the session left SAFE meanwhile. */
    Grant adopt(Sequencer s) {
        Grant g = new Grant(this, s);
        Grant had = grants.put(s.lock(), g);
        if (had != null && had != g && had.sequencer().token() != s.token()) had.lose("superseded by a newer grant");
        if (!isSafe()) g.lose("session " + id + " is " + state);
        return g;
    }

    /** Asks the cell to let go of {@code lock} for this session, or to withdraw its wait for it. */
    CompletableFuture<Locks.Released> releaseAtCell(String lock) {
        Transport t = client.transport;
        return t.call("POST", "/v1/locks/release", new Locks.HolderRequest(lock, id), Locks.Released.class, t.newRequestId(), Duration.ZERO);
    }

    /** Whether this session has a grant of {@code lock} (held, or lost and not yet released). */
    boolean hasGrant(String lock) {
        return grants.containsKey(lock);
    }

    void forget(Grant g) {
        grants.remove(g.sequencer().lock(), g);
    }

    /** Ends the session at the cell: its locks are released (no lock-delay), its memberships removed. */
    @Override
    public void close() {
        synchronized (this) {
            if (closing || state == State.EXPIRED) return;
            closing = true;
        }
        for (Grant g : List.copyOf(grants.values())) g.lose("session closed");
        try {
            client.transport.call("DELETE", "/v1/sessions/" + id, null, Sessions.Closed.class, client.transport.newRequestId(),
                Duration.ZERO, Duration.ofSeconds(3)).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("closing session {} at the cell failed; it will expire there", id, e);
        }
        expire("closed");
    }

    // ---- KeepAlive and the local lease ------------------------------------------------------------

    private void scheduleKeepAlive(long delayMillis) {
        if (state == State.EXPIRED) return;
        client.scheduler.schedule(this::keepAlive, delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * {@code delayMillis}, shortened to the previous tick of a grid of a twentieth of the TTL (at most
     * 100 ms) on the client's clock: a client's sessions then fall due together and share batched
     * KeepAlives, however their creation was spread. Renewing up to a tick early costs nothing.
     */
    static long alignedDelay(long delayMillis, long ttlMillis) {
        long grid = Math.max(1, Math.min(100, ttlMillis / 20));
        long now = monotonicNow();
        long due = now + Math.max(0, delayMillis);
        return Math.max(0, due - Math.floorMod(due, grid) - now);
    }

    private void keepAlive() {
        if (state == State.EXPIRED || closing) return;
        long sentAt = monotonicNow();
        Duration retryFor = Duration.ofMillis(Math.max(200, timeoutMillis / 3));
        client.keepAlives.renew(id, retryFor)
            .whenComplete((ka, error) -> {
                if (error == null) {
                    confirmed(ka, sentAt);
                    scheduleKeepAlive(alignedDelay(ka.ttlMillis() / 3 - (monotonicNow() - sentAt), ka.ttlMillis()));
                } else if (error instanceof WardenException w && w.status() == 404) {
                    expire("the cell no longer knows session " + id + " (" + w.getMessage() + ")");
                } else {
                    scheduleKeepAlive(RETRY_MILLIS); // the watchdog moves to JEOPARDY if this goes on
                }
            });
    }

    private void confirmed(Sessions.KeepAlive ka, long sentAt) {
        List<Grant> lostNow;
        synchronized (this) {
            if (state == State.EXPIRED) return;
            localLeaseUntil = Math.max(localLeaseUntil, sentAt + terms(ka.ttlMillis()).holderMillis());
            armWatchdog(localLeaseUntil);
            if (state == State.JEOPARDY) change(State.SAFE);
            // Only grants made before this KeepAlive left can be judged by its reply.
            lostNow = ka.held() == null ? List.of()
                : grants.values().stream().filter(g -> g.adoptedAt() < sentAt && !ka.held().contains(g.sequencer())).toList();
        }
        for (Grant g : lostNow) g.lose("the cell no longer lists this grant (broken, or expired with the session)");
        for (Grant g : List.copyOf(grants.values())) {
            if (g.isLost() && ka.held() != null && ka.held().contains(g.sequencer())) g.releaseQuietly(); // a lost grant must not linger at the cell
        }
    }

    private synchronized void armWatchdog(long atMillis) {
        if (watchdog != null) watchdog.cancel(false);
        long delay = Math.max(0, atMillis - monotonicNow());
        watchdog = client.scheduler.schedule(this::watch, delay, TimeUnit.MILLISECONDS);
    }

    private void watch() {
        List<Grant> lostNow = List.of();
        boolean graceOver = false;
        synchronized (this) {
            long now = monotonicNow();
            if (state == State.SAFE && now >= localLeaseUntil) {
                jeopardySince = now;
                change(State.JEOPARDY);
                lostNow = List.copyOf(grants.values());
                armWatchdog(now + client.sessionGrace.toMillis());
            } else if (state == State.JEOPARDY && now >= jeopardySince + client.sessionGrace.toMillis()) {
                graceOver = true;
            } else if (state == State.SAFE) {
                armWatchdog(localLeaseUntil);
            }
        }
        for (Grant g : lostNow) g.lose("session " + id + " is in jeopardy: its local lease ran out unconfirmed");
        if (graceOver) expire("no confirmation from the cell within the grace period");
    }

    private void expire(String why) {
        List<Grant> all;
        synchronized (this) {
            if (state == State.EXPIRED) return;
            if (watchdog != null) watchdog.cancel(false);
            change(State.EXPIRED);
            all = List.copyOf(grants.values());
        }
        log.info("session {} expired: {}", id, why);
        for (Grant g : all) g.lose("session " + id + " expired: " + why);
        client.forget(this);
        expired.complete(null);
    }

    /** Caller holds the lock; listeners run later on the scheduler, one change after another. */
    private void change(State to) {
        State from = state;
        state = to;
        notifications = notifications.thenRunAsync(() -> {
            for (Listener l : listeners) {
                try {
                    l.stateChanged(this, from, to);
                } catch (RuntimeException e) {
                    log.warn("session listener failed", e);
                }
            }
        }, client.scheduler);
    }

    private LeaseTerms terms(long ttlMillis) {
        return new LeaseTerms(Math.max(1, ttlMillis), client.drift == null ? DriftBound.standard() : client.drift);
    }

    @Override
    public String toString() {
        return "Session[" + id + ", " + state + "]";
    }
}
