package io.warden.server.http;

import io.warden.api.Groups;
import io.warden.api.Locks;
import io.warden.api.Registers;
import io.warden.api.Sessions;
import io.warden.server.cell.CellState;
import io.warden.server.cell.GroupTable;
import io.warden.server.cell.LockTable;
import io.warden.server.cell.SessionTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the wire records of {@code io.warden.api} from the cell state. They live in the client
 * library, which knows nothing of the server, so the server-side knowledge of how a record is
 * derived from the state lives here. The builders that take a {@link CellState} run on the replica
 * loop's thread, inside a read; "left" values are {@code deadline - cellMillis}, where cell time is
 * that of the last applied command, so they are upper bounds (cell time stands still while nothing
 * is applied).
 */
final class Views {
    private Views() {}

    /**
     * A lock as {@code GET /v1/locks/...} shows it: its holders (with the client label of each
     * holder's session), its waiters in the order they will be granted, the lock-delay still to
     * run and its value.
     */
    static Locks.View lock(CellState state, LockTable.LockRecord r) {
        long now = state.cellMillis();
        List<Locks.Holder> holders = new ArrayList<>(r.holders().size());
        for (LockTable.Holder h : r.holders()) {
            holders.add(new Locks.Holder(h.session(), client(state, h.session()), state.sessionPrincipal(h.session()), h.mode(), h.token(), h.lockDelayMillis(),
                h.acquiredWallMillis(), Instant.ofEpochMilli(h.acquiredWallMillis()).toString()));
        }
        List<Locks.Waiter> waiters = new ArrayList<>(r.waiters().size());
        int position = 0;
        for (LockTable.Waiter w : r.waiters()) {
            waiters.add(new Locks.Waiter(++position, w.session(), client(state, w.session()), state.sessionPrincipal(w.session()), w.mode(),
                Math.max(0, w.deadlineCellMillis() - now), w.lockDelayMillis(), Instant.ofEpochMilli(w.enqueuedWallMillis()).toString()));
        }
        return new Locks.View(r.name(), holders, waiters, Math.max(0, r.delayUntilCellMillis() - now), r.value(),
            state.lastEventIndex());
    }

    /**
     * A session as {@code GET /v1/sessions/...} shows it: what it holds, what it waits for (and
     * where in the queue), its group memberships. Its lease is the master's alone (it is not
     * replicated) and not shown; a KeepAlive answers with it.
     */
    static Sessions.Detail session(CellState state, SessionTable.SessionView v) {
        List<Sessions.Hold> holds = new ArrayList<>();
        List<Sessions.Wait> waits = new ArrayList<>();
        for (String name : v.locks()) {
            LockTable.LockRecord r = state.lock(name);
            if (r == null) continue;
            for (LockTable.Holder h : r.holders()) {
                if (h.session() == v.id()) holds.add(new Sessions.Hold(name, h.mode(), h.token()));
            }
            int position = 0;
            for (LockTable.Waiter w : r.waiters()) {
                position++;
                if (w.session() == v.id()) {
                    waits.add(new Sessions.Wait(name, w.mode(), position, Math.max(0, w.deadlineCellMillis() - state.cellMillis())));
                }
            }
        }
        List<Sessions.Membership> memberships = new ArrayList<>(v.memberships().size());
        for (String key : v.memberships()) {
            String[] gm = key.split("\u0000", 2); // GroupTable's key: group NUL member
            memberships.add(new Sessions.Membership(gm[0], gm.length > 1 ? gm[1] : ""));
        }
        return new Sessions.Detail(v.id(), v.principal(), v.client().isEmpty() ? null : v.client(), v.timeoutMillis(), v.createdWallMillis(),
            Instant.ofEpochMilli(v.createdWallMillis()).toString(), holds, waits, memberships);
    }

    /** One member of a group, as {@code GET /v1/groups/{group}/members} lists it. */
    static Groups.Member member(GroupTable.Member m) {
        return new Groups.Member(m.name(), m.session(), m.payload(), m.joinedWallMillis(),
            Instant.ofEpochMilli(m.joinedWallMillis()).toString());
    }

    /** A register under {@code key}; null for none. */
    static Registers.View register(String key, CellState.Register r) {
        return r == null ? null : new Registers.View(key, r.value(), r.revision());
    }

    private static String client(CellState state, long session) {
        return state.session(session).map(s -> s.client().isEmpty() ? null : s.client()).orElse(null);
    }
}
