package io.warden.server.http;

import io.warden.server.cell.CellState;
import io.warden.server.cell.LockMode;
import io.warden.server.cell.LockTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A lock as {@code GET /v1/locks/...} shows it: its holders (with the client label of each
 * holder's session), its waiters in the order they will be granted, the lock-delay still to run
 * and its value. Built on the replica loop's thread inside a read, from cell time: "left" values
 * are {@code deadline - cellMillis}, where cell time is that of the last applied command, so they
 * are upper bounds (cell time stands still while nothing is applied).
 */
public record LockView(String lock, List<HolderView> holders, List<WaiterView> waiters, long lockDelayLeftMillis,
                       String value, long index) {
    public record HolderView(long session, String client, LockMode mode, long token, long lockDelayMillis,
                             long acquiredWallMillis, String acquiredAt) {}

    public record WaiterView(int position, long session, String client, LockMode mode, long waitLeftMillis,
                             long lockDelayMillis, String enqueuedAt) {}

    /** Loop thread only (inside a read). */
    static LockView of(CellState state, LockTable.LockRecord r) {
        long now = state.cellMillis();
        List<HolderView> holders = new ArrayList<>(r.holders().size());
        for (LockTable.Holder h : r.holders()) {
            holders.add(new HolderView(h.session(), client(state, h.session()), h.mode(), h.token(), h.lockDelayMillis(),
                h.acquiredWallMillis(), Instant.ofEpochMilli(h.acquiredWallMillis()).toString()));
        }
        List<WaiterView> waiters = new ArrayList<>(r.waiters().size());
        int position = 0;
        for (LockTable.Waiter w : r.waiters()) {
            waiters.add(new WaiterView(++position, w.session(), client(state, w.session()), w.mode(),
                Math.max(0, w.deadlineCellMillis() - now), w.lockDelayMillis(), Instant.ofEpochMilli(w.enqueuedWallMillis()).toString()));
        }
        return new LockView(r.name(), holders, waiters, Math.max(0, r.delayUntilCellMillis() - now), r.value(),
            state.lastEventIndex());
    }

    private static String client(CellState state, long session) {
        return state.session(session).map(s -> s.client().isEmpty() ? null : s.client()).orElse(null);
    }
}
