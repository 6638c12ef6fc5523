package io.warden.server.replica;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The master's view of session leases, on its own monotonic clock. Not replicated: a KeepAlive
 * costs no Paxos round (Chubby §2.8). What is replicated is the decision to expire a session, which
 * only the master proposes, once, when a lease runs out. A new master starts every session with a
 * full timeout (Chubby §2.9): one bounded extension per fail-over, never an unbounded one.
 */
final class SessionLeases {
    private final Map<Long, Long> expiry = new HashMap<>();
    private final PriorityQueue<long[]> byExpiry = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    private final Set<Long> expiring = new HashSet<>();

    /** Forgets everything: this replica is no longer (or not yet) master. */
    void clear() {
        expiry.clear();
        byExpiry.clear();
        expiring.clear();
    }

    boolean isEmpty() {
        return expiry.isEmpty() && expiring.isEmpty();
    }

    /** Gives {@code session} a lease until {@code until}, unless its expiry is already proposed. */
    boolean renew(long session, long until) {
        if (expiring.contains(session)) return false;
        Long had = expiry.put(session, until);
        if (had == null || had != until) byExpiry.add(new long[] {until, session});
        return true;
    }

    /** Until when {@code session}'s lease holds, or -1 if it has none (unknown, or expiring). */
    long until(long session) {
        Long u = expiry.get(session);
        return u == null || expiring.contains(session) ? -1 : u;
    }

    boolean isExpiring(long session) {
        return expiring.contains(session);
    }

    /** Sessions whose lease ran out by {@code now}; they are marked expiring and returned once. */
    List<Long> expire(long now, int max) {
        List<Long> out = new ArrayList<>();
        while (!byExpiry.isEmpty() && byExpiry.peek()[0] <= now && out.size() < max) {
            long[] e = byExpiry.poll();
            Long current = expiry.get(e[1]);
            if (current == null || current != e[0]) continue; // renewed since: a stale entry
            expiry.remove(e[1]);
            expiring.add(e[1]);
            out.add(e[1]);
        }
        return out;
    }

    /** The session ended in the replicated state (closed or expired). */
    void ended(long session) {
        expiry.remove(session);
        expiring.remove(session);
    }

    /** An expiry proposal was lost with mastership or refused: forget that it was proposed. */
    void unmarkExpiring(long session) {
        expiring.remove(session);
    }

    int size() {
        return expiry.size();
    }
}
