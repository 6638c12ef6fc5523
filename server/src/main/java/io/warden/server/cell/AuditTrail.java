package io.warden.server.cell;

import io.warden.api.Audit;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The replicated trail of administrative actions and lock breaks (who, what, when, at which event
 * index), bounded: the newest {@code retained} entries are kept (Limits.retainedAudit). Travels in
 * snapshots, so every master serves the same trail.
 */
final class AuditTrail {
    private final int retained;
    private final ArrayDeque<Audit.Entry> entries = new ArrayDeque<>();

    AuditTrail(int retained) {
        this.retained = retained;
    }

    void record(long index, long cellMillis, long wallMillis, String principal, String action, String target, String details) {
        entries.addLast(new Audit.Entry(index, cellMillis, Instant.ofEpochMilli(wallMillis).toString(), principal, action, target, details));
        while (entries.size() > retained) entries.pollFirst();
    }

    /** The oldest index still kept (0 when empty). */
    long firstRetained() {
        return entries.isEmpty() ? 0 : entries.peekFirst().index();
    }

    /** Entries with index &gt;= {@code from}, oldest first, at most {@code max}. */
    List<Audit.Entry> from(long from, int max) {
        List<Audit.Entry> out = new ArrayList<>();
        for (Audit.Entry e : entries) {
            if (e.index() < from) continue;
            if (out.size() >= max) break;
            out.add(e);
        }
        return out;
    }

    List<Audit.Entry> all() {
        return new ArrayList<>(entries);
    }

    void restore(List<Audit.Entry> kept) {
        entries.clear();
        if (kept != null) entries.addAll(kept);
    }
}
