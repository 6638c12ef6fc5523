package io.warden.client;

import io.warden.api.Sequencer;
import java.util.HashMap;
import java.util.Map;

/**
 * For resource servers (Kleppmann's fencing): remembers the highest fencing token seen per lock and
 * admits only requests carrying a token at least that high. A holder that was paused past its lease
 * and comes back with an old token is refused, whatever it believes. Optionally asks the cell too
 * ({@link #admitIfCurrent}), which also refuses a token that is the newest seen but no longer held.
 *
 * <p>Thread-safe; in-memory (persist {@link #highest} yourself if the resource restarts).
 */
public final class FencedResource {
    private final Map<String, Long> highest = new HashMap<>();

    /** Admits {@code s} if its token is at least the highest seen for its lock, and remembers it. */
    public synchronized boolean admit(Sequencer s) {
        long seen = highest.getOrDefault(s.lock(), Long.MIN_VALUE);
        if (s.token() < seen) return false;
        highest.put(s.lock(), s.token());
        return true;
    }

    /** {@link #admit}, and the cell confirms the grant is still in force (one round trip to the master). */
    public boolean admitIfCurrent(Sequencer s, WardenClient client) {
        synchronized (this) {
            if (s.token() < highest.getOrDefault(s.lock(), Long.MIN_VALUE)) return false;
        }
        return client.checkSequencer(s) && admit(s);
    }

    /** The highest token admitted for {@code lock}, or {@code Long.MIN_VALUE}. */
    public synchronized long highest(String lock) {
        return highest.getOrDefault(lock, Long.MIN_VALUE);
    }
}
