package io.warden.server.replica;

import io.warden.api.Event;
import io.warden.api.LockMode;
import io.warden.api.Sequencer;
import io.warden.leases.MonotonicClock;
import io.warden.server.cell.CellCommand;
import io.warden.server.cell.CellResult;
import io.warden.server.cell.CellState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What only the serving master does, on the loop's thread: keeps cell time, session leases and
 * KeepAlives (no Paxos round), proposes expiry when a lease runs out and a tick when a waiter's
 * bound or a lock-delay ends, announces itself on taking over, and answers acquirers that queued
 * once a later event grants or times them out (no polling).
 */
final class MasterDuties {
    private record Wait(long session, String lock) {}

    private static final int MAX_EXPIRIES_PER_COMMAND = 10_000;

    private final CellState state;
    private final MonotonicClock clock;
    private final Consumer<CellCommand> propose;
    private final SessionLeases leases = new SessionLeases();
    private final Map<Wait, List<CompletableFuture<CellResult>>> waits = new HashMap<>();
    private boolean serving;
    private long cellBase;
    private long monoBase;
    private long tickProposedAt = Long.MIN_VALUE / 2;

    MasterDuties(CellState state, MonotonicClock clock, Consumer<CellCommand> propose) {
        this.state = state;
        this.clock = clock;
        this.propose = propose;
    }

    /**
     * Cell time: the state's time when this master took over, advanced by this master's monotonic
     * clock since. It never runs backwards and stands still between masters.
     */
    long cellNow() {
        long t = cellBase + (clock.nowMillis() - monoBase);
        if (t < state.cellMillis()) {
            cellBase = state.cellMillis();
            monoBase = clock.nowMillis();
            t = cellBase;
        }
        return t;
    }

    CellCommand.Envelope envelope(CellCommand c) {
        return new CellCommand.Envelope(cellNow(), System.currentTimeMillis(), c);
    }

    /** Refuses, before proposing, what names a session this master has already given up on. */
    CellResult precheck(CellCommand c) {
        long session;
        if (c instanceof CellCommand.Acquire a) session = a.session();
        else if (c instanceof CellCommand.Release r) session = r.session();
        else if (c instanceof CellCommand.SetValue v) session = v.session();
        else if (c instanceof CellCommand.Join j) session = j.session();
        else if (c instanceof CellCommand.Leave l) session = l.session();
        else if (c instanceof CellCommand.CloseSession cs) session = cs.session();
        else return null;
        if (state.sessionTimeout(session) < 0) {
            return new CellResult.Refused(404, "no-such-session", "session " + session + " does not exist or has expired");
        }
        if (leases.isExpiring(session)) {
            return new CellResult.Refused(404, "session-expired", "session " + session + " stopped renewing and is being expired");
        }
        return null;
    }

    ReplicaLoop.KeepAlive keepAlive(long session) {
        ReplicaLoop.KeepAlive k = tryKeepAlive(session);
        if (k == null) throw new SessionGoneException(session);
        return k;
    }

    /** Renews {@code session}'s lease; null if it does not exist, ended, or is being expired. */
    ReplicaLoop.KeepAlive tryKeepAlive(long session) {
        long timeout = state.sessionTimeout(session);
        if (timeout < 0 || leases.isExpiring(session)) return null;
        leases.renew(session, clock.nowMillis() + timeout);
        return new ReplicaLoop.KeepAlive(session, timeout, timeout, state.heldBy(session));
    }

    /** Completes a decided command's future; an acquire that queued waits for its grant event. */
    void settle(CellCommand command, CellResult result, CompletableFuture<CellResult> future) {
        if (result instanceof CellResult.SessionCreated sc) {
            leases.renew(sc.session(), clock.nowMillis() + sc.timeoutMillis());
        }
        if (result instanceof CellResult.Queued && command instanceof CellCommand.Acquire a) {
            // Also for a retry answered from the exactly-once table: look at where the wait stands now.
            var lock = state.lock(a.lock());
            var held = lock == null ? null : lock.holders().stream().filter(h -> h.session() == a.session()).findFirst().orElse(null);
            if (held != null) {
                future.complete(new CellResult.Granted(new Sequencer(a.lock(), held.mode(), a.session(), held.token())));
            } else if (lock != null && lock.waiters().stream().anyMatch(w -> w.session() == a.session())) {
                waits.computeIfAbsent(new Wait(a.session(), a.lock()), k -> new ArrayList<>()).add(future);
            } else {
                future.complete(new CellResult.NotAcquired("the wait ended without a grant"));
            }
            return;
        }
        future.complete(result);
    }

    /** Every applied event passes here, on every replica; only the master has anything waiting. */
    void observe(Event e) {
        switch (e.type()) {
            case "lock.acquired" -> answer(new Wait(e.session(), e.lock()),
                new CellResult.Granted(new Sequencer(e.lock(), e.mode() == null ? LockMode.EXCLUSIVE : e.mode(), e.session(), e.token())));
            case "lock.wait-timeout" -> answer(new Wait(e.session(), e.lock()), new CellResult.NotAcquired("timed out waiting"));
            case "lock.wait-cancelled" -> answer(new Wait(e.session(), e.lock()), new CellResult.NotAcquired("the wait was withdrawn (released while waiting)"));
            case "session.created" -> {
                if (serving && leases.until(e.session()) < 0) leases.renew(e.session(), clock.nowMillis() + state.sessionTimeout(e.session()));
            }
            case "session.expired", "session.closed" -> {
                leases.ended(e.session());
                for (Wait w : List.copyOf(waits.keySet())) {
                    if (w.session() == e.session()) {
                        answer(w, new CellResult.Refused(404, "session-ended", "session " + e.session() + " ended while waiting"));
                    }
                }
            }
            default -> { }
        }
    }

    /** Once per loop turn. */
    void turn(boolean servingNow, String ballot, int self) {
        if (!servingNow) {
            if (serving) {
                serving = false;
                leases.clear();
                failAll(new UnavailableException("mastership was lost while waiting; retry with the same request id"));
            }
            return;
        }
        long now = clock.nowMillis();
        if (!serving) {
            serving = true;
            cellBase = state.cellMillis();
            monoBase = now;
            // Chubby §2.9: every session gets a full timeout from the new master before anyone expires.
            for (long id : state.sessionIds()) leases.renew(id, now + state.sessionTimeout(id));
            propose.accept(new CellCommand.NewMaster(self, ballot));
        }
        List<Long> expired = leases.expire(now, MAX_EXPIRIES_PER_COMMAND);
        if (!expired.isEmpty()) propose.accept(new CellCommand.ExpireSessions(expired));
        long deadline = state.nextDeadline();
        if (deadline != Long.MAX_VALUE && deadline <= cellNow() && now - tickProposedAt >= 20) {
            tickProposedAt = now;
            propose.accept(new CellCommand.Tick());
        }
    }

    int leaseCount() {
        return leases.size();
    }

    void failAll(RuntimeException e) {
        for (List<CompletableFuture<CellResult>> fs : waits.values()) for (var f : fs) f.completeExceptionally(e);
        waits.clear();
    }

    private void answer(Wait w, CellResult r) {
        List<CompletableFuture<CellResult>> fs = waits.remove(w);
        if (fs != null) for (var f : fs) f.complete(r);
    }
}
