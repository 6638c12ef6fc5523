package io.warden.server.cell;

import io.warden.api.Event;
import io.warden.api.LockMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The cell's recent events, replicated (they travel in snapshots, so any master can serve a
 * resume). Holds the newest {@code retained}; asking for older ones is answered with "resync",
 * never with a silent gap.
 */
final class EventLog {
    private final int retained;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
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

    Event append(String type, String lock, String group, String member, Long session, Long token, LockMode mode,
                 String detail, long wall) {
        Event e = new Event(++lastIndex, type, lock, group, member, session, token, mode, detail, wall);
        events.addLast(e);
        while (events.size() > retained) events.pollFirst();
        return e;
    }

    /** Events with index &gt;= {@code from}, at most {@code max}; the caller checks {@link #firstRetained()} first. */
    List<Event> from(long from, int max) {
        List<Event> out = new ArrayList<>();
        if (from > lastIndex || max <= 0) return out;
        if (lastIndex - from < from - firstRetained()) {
            // Near the newest (the replica loop asks for what was just applied, every turn): walk
            // back from the tail rather than over the whole retained window.
            for (Iterator<Event> back = events.descendingIterator(); back.hasNext(); ) {
                Event e = back.next();
                if (e.index() < from) break;
                out.add(e);
            }
            Collections.reverse(out);
            return out.size() > max ? new ArrayList<>(out.subList(0, max)) : out;
        }
        for (Event e : events) {
            if (e.index() < from) continue;
            if (out.size() >= max) break;
            out.add(e);
        }
        return out;
    }

    List<Event> all() {
        return new ArrayList<>(events);
    }

    void restore(long last, List<Event> kept) {
        events.clear();
        events.addAll(kept);
        lastIndex = last;
    }
}
