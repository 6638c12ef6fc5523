package io.warden.server.http;

import io.warden.server.cell.CellState;
import io.warden.server.cell.LockMode;
import io.warden.server.cell.LockTable;
import io.warden.server.cell.SessionTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A session as {@code GET /v1/sessions/...} shows it: what it holds, what it waits for (and where
 * in the queue), its group memberships. Its lease is the master's alone (it is not replicated) and
 * not shown; a KeepAlive answers with it.
 */
public record SessionDetail(long session, String client, long timeoutMillis, long createdWallMillis, String created,
                            List<Hold> holds, List<Wait> waits, List<Membership> memberships) {
    public record Hold(String lock, LockMode mode, long token) {}

    public record Wait(String lock, LockMode mode, int position, long waitLeftMillis) {}

    public record Membership(String group, String member) {}

    /** Loop thread only (inside a read). */
    static SessionDetail of(CellState state, SessionTable.SessionView v) {
        List<Hold> holds = new ArrayList<>();
        List<Wait> waits = new ArrayList<>();
        for (String name : v.locks()) {
            LockTable.LockRecord r = state.lock(name);
            if (r == null) continue;
            for (LockTable.Holder h : r.holders()) {
                if (h.session() == v.id()) holds.add(new Hold(name, h.mode(), h.token()));
            }
            int position = 0;
            for (LockTable.Waiter w : r.waiters()) {
                position++;
                if (w.session() == v.id()) {
                    waits.add(new Wait(name, w.mode(), position, Math.max(0, w.deadlineCellMillis() - state.cellMillis())));
                }
            }
        }
        List<Membership> memberships = new ArrayList<>(v.memberships().size());
        for (String key : v.memberships()) {
            String[] gm = key.split("\u0000", 2); // GroupTable's key: group NUL member
            memberships.add(new Membership(gm[0], gm.length > 1 ? gm[1] : ""));
        }
        return new SessionDetail(v.id(), v.client().isEmpty() ? null : v.client(), v.timeoutMillis(), v.createdWallMillis(),
            Instant.ofEpochMilli(v.createdWallMillis()).toString(), holds, waits, memberships);
    }
}
