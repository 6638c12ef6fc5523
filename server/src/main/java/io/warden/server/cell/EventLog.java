package io.warden.server.cell;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The cell's recent events, replicated (they travel in snapshots, so any master can serve a
 * resume). Holds the newest {@code retained}; asking for older ones is answered with "resync",
 * never with a silent gap.
 */
final class EventLog {
    private final int retained;
    private final ArrayDeque<CellEvent> events = new ArrayDeque<>();
    private long lastIndex;

    EventLog(int retained) {
        this.retained = retained;
    }

    long lastIndex() {
        return lastIndex;
    }

    /** The oldest index still retained (lastIndex + 1 when none is). */
    long firstRetained() {
        return events.isEmpty() ? lastIndex + 1 : events.peekFirst().index();
    }

    CellEvent append(String type, String lock, String group, String member, Long session, Long token, LockMode mode,
                     String detail, long wall) {
        CellEvent e = new CellEvent(++lastIndex, type, lock, group, member, session, token, mode, detail, wall);
        events.addLast(e);
        while (events.size() > retained) events.pollFirst();
        return e;
    }

    /** Events with index &gt;= {@code from}, at most {@code max}; the caller checks {@link #firstRetained()} first. */
    List<CellEvent> from(long from, int max) {
        List<CellEvent> out = new ArrayList<>();
        for (CellEvent e : events) {
            if (e.index() < from) continue;
            if (out.size() >= max) break;
            out.add(e);
        }
        return out;
    }

    List<CellEvent> all() {
        return new ArrayList<>(events);
    }

    void restore(long last, List<CellEvent> kept) {
        events.clear();
        events.addAll(kept);
        lastIndex = last;
    }
}
