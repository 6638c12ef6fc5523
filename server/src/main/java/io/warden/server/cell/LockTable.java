package io.warden.server.cell;

import io.warden.api.LockMode;
import io.warden.api.Sequencer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The locks: holders, FIFO waiters, lock-delay and values. Grants happen only here, and only to
 * sessions in the session table (an expired session's waits are removed before anything else is
 * granted, so no grant ever goes to an expired session: etcd#11456). A release grants the next
 * waiter, or the run of shared waiters at the head, and nobody else (no thundering herd).
 */
public final class LockTable {
    /** What the table needs from the cell: time, tokens, events, sessions. */
    interface Effects {
        long now();

        long wall();

        long nextToken();

        void event(String type, String lock, Long session, Long token, LockMode mode, String detail);

        SessionTable sessions();
    }

    public record Holder(long session, long token, LockMode mode, long lockDelayMillis, long acquiredWallMillis) {}

    public record Waiter(long session, LockMode mode, long deadlineCellMillis, long lockDelayMillis, long enqueuedWallMillis) {}

    /** A lock as snapshots carry it. */
    public record LockRecord(String name, List<Holder> holders, List<Waiter> waiters, long delayUntilCellMillis, String value) {}

    private static final class Lock {
        final String name;
        final LinkedHashMap<Long, Holder> holders = new LinkedHashMap<>();
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        long delayUntil;
        String value;

        Lock(String name) {
            this.name = name;
        }

        boolean exclusivelyHeld() {
            return !holders.isEmpty() && holders.values().iterator().next().mode() == LockMode.EXCLUSIVE;
        }

        boolean compatible(LockMode mode) {
            return holders.isEmpty() || (mode == LockMode.SHARED && !exclusivelyHeld());
        }
    }

    private final Effects fx;
    private final TreeMap<String, Lock> locks = new TreeMap<>();
    /** Locks with waiters or a running lock-delay: the only ones time can change. */
    private final TreeSet<String> pending = new TreeSet<>();

    LockTable(Effects fx) {
        this.fx = fx;
    }

    CellResult acquire(CellCommand.Acquire a, Limits limits) {
        SessionTable.Session s = fx.sessions().get(a.session());
        if (s == null) return new CellResult.Refused(404, "no-such-session", "session " + a.session() + " does not exist or has expired");
        Lock l = locks.computeIfAbsent(a.lock(), Lock::new);
        Holder held = l.holders.get(a.session());
        if (held != null) {
            if (held.mode() == a.mode()) return new CellResult.Granted(sequencer(l, held));
            return refusedAndForget(l, 409, "already-held", "session " + a.session() + " already holds " + a.lock() + " in " + held.mode().wire() + " mode");
        }
        for (Waiter w : l.waiters) {
            if (w.session() == a.session()) return new CellResult.Refused(409, "already-waiting", "session " + a.session() + " is already waiting for " + a.lock());
        }
        if (s.locks().size() >= limits.maxLocksPerSession()) {
            return refusedAndForget(l, 429, "quota-locks", "session " + a.session() + " already holds or waits for " + limits.maxLocksPerSession() + " locks (maxLocksPerSession)");
        }
        long delay = a.lockDelayMillis() < 0 ? limits.defaultLockDelayMillis() : a.lockDelayMillis();
        if (fx.now() >= l.delayUntil && l.waiters.isEmpty() && l.compatible(a.mode())) {
            return new CellResult.Granted(grant(l, a.session(), a.mode(), delay));
        }
        if (a.waitMillis() <= 0) {
            forgetIfIdle(l);
            return new CellResult.NotAcquired(unavailableBecause(l));
        }
        if (l.waiters.size() >= limits.maxWaitersPerLock()) {
            return refusedAndForget(l, 429, "quota-waiters", a.lock() + " already has " + limits.maxWaitersPerLock() + " waiters (maxWaitersPerLock)");
        }
        long wait = Math.min(a.waitMillis(), limits.maxWaitMillis());
        l.waiters.addLast(new Waiter(a.session(), a.mode(), fx.now() + wait, delay, fx.wall()));
        s.locks().add(l.name);
        pending.add(l.name);
        return new CellResult.Queued(l.waiters.size());
    }

    /**
     * Lets go of the lock, or stops waiting for it: a client that gave up on a waiting acquire
     * (interrupted, timed out on its side, lost its connection) withdraws the wait this way, so
     * that it is not granted a lock nobody knows it holds (Curator deletes its node likewise).
     */
    CellResult release(long session, String name) {
        Lock l = locks.get(name);
        Waiter waiting = l == null || l.holders.containsKey(session) ? null
            : l.waiters.stream().filter(w -> w.session() == session).findFirst().orElse(null);
        if (waiting != null) {
            dropWaiter(l, waiting, "lock.wait-cancelled", "released while waiting");
            grantWaiters(l); // a withdrawn head may have held back compatible waiters behind it
            forgetIfIdle(l);
            return new CellResult.Done(0);
        }
        if (l == null || !l.holders.containsKey(session)) {
            return new CellResult.Refused(409, "not-holder", "session " + session + " neither holds nor waits for " + name);
        }
        Holder h = l.holders.remove(session);
        fx.sessions().get(session).locks().remove(name);
        fx.event("lock.released", name, session, h.token(), h.mode(), null);
        afterHoldersLeft(l);
        return new CellResult.Done(0);
    }

    CellResult setValue(long session, String name, String value) {
        Lock l = locks.get(name);
        Holder h = l == null ? null : l.holders.get(session);
        if (h == null || h.mode() != LockMode.EXCLUSIVE) {
            return new CellResult.Refused(409, "not-holder", "only the exclusive holder may set the value of " + name);
        }
        l.value = value;
        fx.event("lock.value", name, session, h.token(), h.mode(), null);
        return new CellResult.Done(0);
    }

    /** Takes the lock from every holder; they are fenced, and its lock-delay applies. */
    CellResult breakLock(String name) {
        Lock l = locks.get(name);
        if (l == null || l.holders.isEmpty()) return new CellResult.Refused(404, "not-held", name + " is not held");
        for (Holder h : new ArrayList<>(l.holders.values())) evict(l, h, "lock.broken");
        afterHoldersLeft(l);
        return new CellResult.Done(0);
    }

    /**
     * A session ends: its waits go first (so nothing below grants to it), then its holds: with
     * lock-delay if it expired, without if it was closed; then freed locks pass to their waiters.
     */
    void dropSession(SessionTable.Session s, boolean expired) {
        List<Lock> touched = new ArrayList<>();
        for (String name : s.locks()) {
            Lock l = locks.get(name);
            if (l == null) continue;
            l.waiters.removeIf(w -> w.session() == s.id());
            touched.add(l);
        }
        for (Lock l : touched) {
            Holder h = l.holders.get(s.id());
            if (h == null) continue;
            if (expired) {
                evict(l, h, "lock.expired");
            } else {
                l.holders.remove(s.id());
                fx.event("lock.released", l.name, s.id(), h.token(), h.mode(), "session closed");
            }
        }
        s.locks().clear();
        for (Lock l : touched) afterHoldersLeft(l);
    }

    /** Time passed: answers waiters whose bound ran out, and grants locks whose lock-delay ended. */
    void tick() {
        for (String name : new ArrayList<>(pending)) {
            Lock l = locks.get(name);
            if (l == null) {
                pending.remove(name);
                continue;
            }
            for (Waiter w : new ArrayList<>(l.waiters)) {
                if (w.deadlineCellMillis() > fx.now()) continue;
                dropWaiter(l, w, "lock.wait-timeout", null);
            }
            grantWaiters(l);
            forgetIfIdle(l);
        }
    }

    /** A waiter leaves the queue unserved: its wait ran out, or it withdrew. */
    private void dropWaiter(Lock l, Waiter w, String event, String detail) {
        l.waiters.remove(w);
        SessionTable.Session s = fx.sessions().get(w.session());
        if (s != null) s.locks().remove(l.name);
        fx.event(event, l.name, w.session(), null, w.mode(), detail);
    }

    /** The earliest cell time at which {@link #tick()} would change something (Long.MAX_VALUE: never). */
    long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (String name : pending) {
            Lock l = locks.get(name);
            if (l == null) continue;
            if (l.delayUntil > fx.now()) next = Math.min(next, l.delayUntil);
            for (Waiter w : l.waiters) next = Math.min(next, w.deadlineCellMillis());
        }
        return next;
    }

    /** Is this sequencer's grant still in force? (Chubby's CheckSequencer.) */
    boolean isCurrent(Sequencer q) {
        Lock l = locks.get(q.lock());
        Holder h = l == null ? null : l.holders.get(q.session());
        return h != null && h.token() == q.token() && h.mode() == q.mode();
    }

    /** Inspection: the lock, its holders and waiters in order; null if nothing is known of it. */
    LockRecord record(String name) {
        Lock l = locks.get(name);
        return l == null ? null : toRecord(l);
    }

    List<LockRecord> list(String prefix, int max) {
        List<LockRecord> out = new ArrayList<>();
        String from = prefix == null || prefix.isEmpty() || prefix.equals("/") ? "" : prefix;
        for (Lock l : locks.tailMap(from, true).values()) {
            if (!l.name.startsWith(from) || out.size() >= max) break;
            out.add(toRecord(l));
        }
        return out;
    }

    int size() {
        return locks.size();
    }

    List<LockRecord> records() {
        return locks.values().stream().map(LockTable::toRecord).toList();
    }

    void restore(List<LockRecord> records) {
        locks.clear();
        pending.clear();
        for (LockRecord r : records) {
            Lock l = new Lock(r.name());
            for (Holder h : r.holders()) l.holders.put(h.session(), h);
            l.waiters.addAll(r.waiters());
            l.delayUntil = r.delayUntilCellMillis();
            l.value = r.value();
            locks.put(l.name, l);
            if (!l.waiters.isEmpty() || l.delayUntil > 0) pending.add(l.name);
        }
    }

    private Sequencer grant(Lock l, long session, LockMode mode, long lockDelayMillis) {
        Holder h = new Holder(session, fx.nextToken(), mode, lockDelayMillis, fx.wall());
        l.holders.put(session, h);
        fx.sessions().get(session).locks().add(l.name);
        fx.event("lock.acquired", l.name, session, h.token(), mode, null);
        return sequencer(l, h);
    }

    private void evict(Lock l, Holder h, String why) {
        l.holders.remove(h.session());
        SessionTable.Session s = fx.sessions().get(h.session());
        if (s != null) s.locks().remove(l.name);
        l.delayUntil = Math.max(l.delayUntil, fx.now() + h.lockDelayMillis());
        if (l.delayUntil > fx.now()) pending.add(l.name);
        fx.event(why, l.name, h.session(), h.token(), h.mode(), h.lockDelayMillis() > 0 ? "lock-delay " + h.lockDelayMillis() + " ms" : null);
    }

    private void afterHoldersLeft(Lock l) {
        if (l.holders.isEmpty()) l.value = null;
        grantWaiters(l);
        forgetIfIdle(l);
    }

    private void grantWaiters(Lock l) {
        if (fx.now() < l.delayUntil) return;
        while (!l.waiters.isEmpty() && l.compatible(l.waiters.peekFirst().mode())) {
            Waiter w = l.waiters.pollFirst();
            fx.sessions().get(w.session()).locks().remove(l.name); // re-added by grant
            grant(l, w.session(), w.mode(), w.lockDelayMillis());
            if (w.mode() == LockMode.EXCLUSIVE) break;
        }
    }

    private void forgetIfIdle(Lock l) {
        boolean waiting = !l.waiters.isEmpty();
        boolean delayed = l.delayUntil > fx.now();
        if (!waiting && !delayed) pending.remove(l.name);
        if (l.holders.isEmpty() && !waiting && !delayed && l.value == null) locks.remove(l.name);
    }

    private CellResult refusedAndForget(Lock l, int status, String type, String detail) {
        forgetIfIdle(l);
        return new CellResult.Refused(status, type, detail);
    }

    private String unavailableBecause(Lock l) {
        if (fx.now() < l.delayUntil) return "lock-delay: unavailable for " + (l.delayUntil - fx.now()) + " ms more";
        if (!l.holders.isEmpty()) return "held by session " + l.holders.keySet().iterator().next() + " (" + (l.exclusivelyHeld() ? "exclusive" : "shared") + ")";
        return "waiters are queued ahead";
    }

    private static Sequencer sequencer(Lock l, Holder h) {
        return new Sequencer(l.name, h.mode(), h.session(), h.token());
    }

    private static LockRecord toRecord(Lock l) {
        return new LockRecord(l.name, List.copyOf(l.holders.values()), List.copyOf(l.waiters), l.delayUntil, l.value);
    }
}
