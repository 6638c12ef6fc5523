package io.warden.jepsen.checker;

import io.warden.jepsen.history.Call;
import io.warden.jepsen.history.Functions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The latest instant each session is known to have been live, from the ops that prove it
 * (Chubby §2.8: a KeepAlive's reply extends the session's lease by its timeout, counted from when
 * the master got it, which is no earlier than the invoke):
 * <ul>
 *   <li>an ok {@code open-session} or {@code keepalive} invoked at t: live until at least
 *       t + session timeout;</li>
 *   <li>an ok {@code join}, {@code leave}, {@code acquire} or {@code campaign} invoked at t: live
 *       at t at least (the cell served it under the session).</li>
 * </ul>
 * A cell that keeps its lease promise cannot expire a session before this instant. Pure.
 */
final class SessionLiveness {
    private static final Set<String> RENEWALS = Set.of(Functions.OPEN_SESSION, Functions.KEEPALIVE);
    private static final Set<String> SERVED = Set.of(Functions.JOIN, Functions.LEAVE, Functions.ACQUIRE,
            Functions.CAMPAIGN);

    /** A proof of life: the call, and the instant it proves the session live until. */
    record Proof(Call call, long liveUntil) {}

    private final Map<Long, Proof> latest = new HashMap<>();

    SessionLiveness(List<Call> calls, long sessionTimeoutNanos) {
        for (Call c : calls) {
            if (!c.isOk() || c.session() == null) {
                continue;
            }
            long until;
            if (RENEWALS.contains(c.f())) {
                until = saturatedAdd(c.start(), sessionTimeoutNanos);
            } else if (SERVED.contains(c.f())) {
                until = c.start();
            } else {
                continue;
            }
            Proof best = latest.get(c.session());
            if (best == null || until > best.liveUntil()) {
                latest.put(c.session(), new Proof(c, until));
            }
        }
    }

    /** The strongest proof of life of {@code session}, or null if none was recorded. */
    Proof proof(Long session) {
        return session == null ? null : latest.get(session);
    }

    /** The instant {@code session} is known live until, or {@link Long#MIN_VALUE} if unknown. */
    long liveUntil(Long session) {
        Proof p = proof(session);
        return p == null ? Long.MIN_VALUE : p.liveUntil();
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
