package io.warden.api;

import java.util.List;

/** Wire records of {@code /v1/audit}: the trail of administrative actions and lock breaks. */
public final class Audit {
    private Audit() {}

    /**
     * One action: {@code index} is the event index of the change it made, {@code cellMillis} the
     * replicated cell time it was applied at, {@code at} the master's wall clock then (for people).
     * Actions: {@code acl.set}, {@code acl.removed}, {@code lock.broken}, {@code session.ended}
     * (a session closed by a principal other than its owner).
     */
    public record Entry(long index, long cellMillis, String at, String principal, String action, String target,
                        String details) {}

    /** {@code GET /v1/audit?from=&max=}: entries from index {@code from}, oldest first. */
    public record Page(List<Entry> entries, long firstRetained, long next) {}
}
