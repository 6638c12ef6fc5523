package io.warden.leases;

/**
 * The arithmetic of one kind of lease: a promise of {@code durationMillis} made by a grantor to a
 * holder, under a {@link DriftBound}.
 *
 * <p>The holder counts its lease from the moment it <em>sent</em> the request (it cannot know when
 * the grantor acted, only that it was later) and shortens it to D·(1−ε); the grantor counts from
 * the moment it granted and honours it for D·(1+ε). If both clocks run at rates within [1−ε, 1+ε],
 * the holder's D·(1−ε) lasts at most D of real time from the send, and the grantor's D·(1+ε) lasts at
 * least D of real time from the grant, which came after the send: the holder always stops relying
 * on the lease before the grantor stops honouring it, whatever the message delays were. Rounding is
 * always in the safe direction (holder down, grantor up) with one millisecond of slack each way for
 * the granularity of clock readings.
 *
 * <p>Pure and immutable; safe to share between threads.
 */
public record LeaseTerms(long durationMillis, DriftBound drift) {
    public LeaseTerms {
        if (durationMillis <= 0) {
            throw new IllegalArgumentException("lease duration must be positive, got " + durationMillis + " ms");
        }
        if (drift == null) {
            throw new IllegalArgumentException("drift bound is required");
        }
    }

    /** How long the holder may rely on a grant, from the time it sent the request. */
    public long holderMillis() {
        return Math.max(0, (long) Math.floor(durationMillis * (1.0 - drift.epsilon())) - 1);
    }

    /** How long the grantor honours a grant, from the time it granted it. */
    public long grantorMillis() {
        return (long) Math.ceil(durationMillis * (1.0 + drift.epsilon())) + 1;
    }

    /** On the holder's clock: the lease is held strictly before this instant. */
    public long holderExpiresAt(long requestSentAtMillis) {
        return requestSentAtMillis + holderMillis();
    }

    /** On the grantor's clock: the grant binds the grantor strictly before this instant. */
    public long grantorExpiresAt(long grantedAtMillis) {
        return grantedAtMillis + grantorMillis();
    }

    /**
     * A grantor that lost its memory (a restart) may have granted this lease just before; it must
     * behave as if bound until this long after it came back.
     */
    public long forgottenGrantWaitMillis() {
        return grantorMillis();
    }
}
