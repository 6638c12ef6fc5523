package io.warden.api;

import java.util.List;

/** Wire records of {@code /v1/locks} and {@code /v1/sequencers}. */
public final class Locks {
    private Locks() {}

    /** {@code POST /v1/locks/acquire}: {@code waitMillis} 0 tries once; {@code lockDelayMillis} null for the default. */
    public record AcquireRequest(String lock, Long session, String mode, Long waitMillis, Long lockDelayMillis) {}

    /** 200 when granted; not granted in time is a 409 problem {@code not-acquired}. */
    public record Granted(boolean granted, Sequencer sequencer) {}

    /** {@code POST /v1/locks/release}. */
    public record HolderRequest(String lock, Long session) {}

    public record Released(String lock, long session, boolean released) {}

    /** {@code POST /v1/locks/value}: only the exclusive holder may. */
    public record ValueRequest(String lock, Long session, String value) {}

    public record ValueSet(String lock, long session, String value) {}

    /** {@code POST /v1/locks/break} (administrators). */
    public record BreakRequest(String lock) {}

    public record Broken(String lock, boolean broken) {}

    /**
     * {@code GET /v1/locks/{name}}: holders, waiters in grant order, lock-delay left, value. Each holder
     * and waiter names the principal its session belongs to ("anonymous" when authentication is off).
     */
    public record View(String lock, List<Holder> holders, List<Waiter> waiters, long lockDelayLeftMillis, String value,
                       long index) {}

    public record Holder(long session, String client, String principal, LockMode mode, long token, long lockDelayMillis,
                         long acquiredWallMillis, String acquiredAt) {}

    public record Waiter(int position, long session, String client, String principal, LockMode mode, long waitLeftMillis,
                         long lockDelayMillis, String enqueuedAt) {}

    /** {@code GET /v1/locks?prefix=}. */
    public record Listing(String prefix, List<View> locks, boolean truncated, long index) {}

    /** {@code POST /v1/sequencers/check}: is this grant still in force? (Chubby's CheckSequencer.) */
    public record CheckRequest(String lock, String mode, Long session, Long token) {}

    public record Checked(boolean valid) {}
}
