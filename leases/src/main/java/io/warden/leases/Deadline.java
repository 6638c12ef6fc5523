package io.warden.leases;

/**
 * An instant on one {@link MonotonicClock}, before which something holds: a lease held, a grant
 * honoured, a lock-delay in force. {@link #NONE} never holds.
 */
public record Deadline(long atMillis) {
    public static final Deadline NONE = new Deadline(Long.MIN_VALUE);

    public boolean holdsAt(long nowMillis) {
        return nowMillis < atMillis;
    }

    /** Milliseconds left at {@code nowMillis}, never negative. */
    public long remainingMillis(long nowMillis) {
        return holdsAt(nowMillis) ? atMillis - nowMillis : 0;
    }

    /** The later of the two; a renewal never shortens what was already promised. */
    public Deadline extendTo(Deadline other) {
        return other.atMillis > atMillis ? other : this;
    }
}
