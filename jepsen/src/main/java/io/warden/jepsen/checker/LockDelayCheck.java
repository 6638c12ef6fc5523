package io.warden.jepsen.checker;

import io.warden.jepsen.history.Call;
import io.warden.jepsen.history.Functions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Chubby's lock-delay (§2.4): when a holder's session expires without releasing a lock, nobody
 * else may get the lock until lock-delay after the expiry. The expiry happened no earlier than
 * the session was proven live until ({@link SessionLiveness}), so an ok acquire of the lock by
 * another session, after the expired session's grant, that completed before that instant plus the
 * lock-delay is a {@code lock-delay-violated} anomaly.
 *
 * <p>A release by the holder, invoked after its grant and before the other acquire completed,
 * that may have taken effect (it did not {@code fail}: ok, or {@code info} with its outcome unknown)
 * may have freed the lock at once, so it exempts the grant. A release recording a loss carries an
 * {@code error} starting {@code "lost"} (e.g. {@code "lost: session expired"}): it frees nothing early.
 */
final class LockDelayCheck {
    private final long lockDelayNanos;

    LockDelayCheck(long lockDelayNanos) {
        this.lockDelayNanos = lockDelayNanos;
    }

    void check(List<Call> calls, Map<Long, List<Call>> expiries, SessionLiveness liveness, AnomalyLog log) {
        Map<String, List<Call>> grants = LockChecker.okByKey(calls, Functions.ACQUIRE);
        Map<String, List<Call>> releases = new HashMap<>();
        for (Call c : calls) {
            if (c.f().equals(Functions.RELEASE) && isVoluntary(c)) {
                releases.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
            }
        }
        grants.forEach((lock, lockGrants) -> {
            for (Call held : lockGrants) {
                boolean expired = expiries.getOrDefault(held.session(), List.of()).stream().anyMatch(Call::isOk);
                if (!expired) {
                    continue;
                }
                long freeAt = SessionLiveness.saturatedAdd(liveness.liveUntil(held.session()), lockDelayNanos);
                for (Call next : lockGrants) {
                    if (next.session() != null && !Objects.equals(next.session(), held.session())
                            && isAfter(held, next) && next.end() < freeAt
                            && !releasedBefore(held, next, releases.getOrDefault(lock, List.of()))) {
                        log.add("lock-delay-violated", lock, "lock " + lock + ": granted to "
                                + LockChecker.who(next) + " by " + next.end() + ", but its holder's session "
                                + held.session() + " expired no earlier than " + liveness.liveUntil(held.session())
                                + " and lock-delay is " + lockDelayNanos + " ns", held, next);
                    }
                }
            }
        });
    }

    private static boolean isVoluntary(Call release) {
        String error = release.completion() == null ? null : release.completion().error();
        return !release.isFail() && (error == null || !error.startsWith("lost"));
    }

    /** Did {@code next}'s grant come after {@code held}'s (by token, else by real time)? */
    private static boolean isAfter(Call held, Call next) {
        if (held.result() instanceof Long a && next.result() instanceof Long b) {
            return b > a;
        }
        return held.precedes(next);
    }

    private static boolean releasedBefore(Call held, Call next, List<Call> releases) {
        return releases.stream().anyMatch(r -> r.start() > held.start() && r.start() < next.end()
                && (r.process() == held.process() || r.session() != null && r.session().equals(held.session())));
    }
}
