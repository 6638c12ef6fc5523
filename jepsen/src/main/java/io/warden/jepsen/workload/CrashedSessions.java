package io.warden.jepsen.workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sessions whose client "crashed" on purpose (stopped sending KeepAlives without closing), and the
 * locks each held at that moment with the holder's history process. When the cell expires such a
 * session, {@link SessionWatcher} records the loss of each lock for its holder. Thread-safe.
 */
final class CrashedSessions {
    /** A lock a crashed client held: the history process that acquired it, the lock, its token. */
    record Held(int process, String lock, long token) {}

    private final Map<Long, List<Held>> held = new HashMap<>();

    /** Remembers that {@code session}'s client crashed holding {@code locks} (possibly none). */
    synchronized void crashed(long session, List<Held> locks) {
        held.computeIfAbsent(session, s -> new ArrayList<>()).addAll(locks);
    }

    /** The locks {@code session} held when its client crashed, once (later calls get nothing). */
    synchronized List<Held> expired(long session) {
        List<Held> h = held.remove(session);
        return h == null ? List.of() : h;
    }
}
