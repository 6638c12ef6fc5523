package io.warden.server.cell;

/**
 * Bounds on what the cell holds, identical on every replica (they shape replicated decisions).
 * Reported in {@code /v1/cell}; exceeding one is a 4xx naming it, and nothing is applied.
 *
 * @param minSessionTimeoutMillis  a requested session timeout is clamped to [min, max]
 * @param maxSessionTimeoutMillis  ... and so is the extension a fail-over gives every session
 * @param defaultLockDelayMillis   lock-delay when the acquirer names none
 * @param maxLockDelayMillis       the longest lock-delay an acquirer may ask for
 * @param retainedEvents           how many recent events the event log keeps
 * @param retainedAudit            how many recent entries the audit trail keeps
 */
public record Limits(
    long minSessionTimeoutMillis,
    long defaultSessionTimeoutMillis,
    long maxSessionTimeoutMillis,
    long defaultLockDelayMillis,
    long maxLockDelayMillis,
    long maxWaitMillis,
    int maxSessions,
    int maxLocksPerSession,
    int maxMembershipsPerSession,
    int maxWaitersPerLock,
    int maxValueBytes,
    int maxPayloadBytes,
    int maxClientLabel,
    int retainedEvents,
    int retainedAudit) {

    public Limits {
        if (minSessionTimeoutMillis < 1 || defaultSessionTimeoutMillis < minSessionTimeoutMillis
            || maxSessionTimeoutMillis < defaultSessionTimeoutMillis) {
            throw new IllegalArgumentException("session timeouts must satisfy 1 <= min <= default <= max");
        }
        if (defaultLockDelayMillis < 0 || maxLockDelayMillis < defaultLockDelayMillis) {
            throw new IllegalArgumentException("lock-delays must satisfy 0 <= default <= max");
        }
        if (maxWaitMillis < 0 || maxSessions < 1 || maxLocksPerSession < 1 || maxMembershipsPerSession < 1
            || maxWaitersPerLock < 1 || maxValueBytes < 0 || maxPayloadBytes < 0 || maxClientLabel < 0 || retainedEvents < 1
            || retainedAudit < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static Limits defaults() {
        return new Limits(1_000, 12_000, 120_000, 10_000, 60_000, 300_000, 200_000, 1_000, 1_000, 1_000, 4_096, 1_024,
            128, 20_000, 10_000);
    }

    public long clampTimeout(long requested) {
        long t = requested <= 0 ? defaultSessionTimeoutMillis : requested;
        return Math.max(minSessionTimeoutMillis, Math.min(maxSessionTimeoutMillis, t));
    }
}
