package io.warden.jepsen.checker;

import io.warden.jepsen.history.Call;
import io.warden.jepsen.history.Functions;
import io.warden.jepsen.history.History;
import io.warden.jepsen.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks the lock workload: clients {@code acquire} locks (ok value: the fencing token), write
 * their token to the lock's fenced resource ({@code write}, key: the lock, value: the token) while
 * they believe the grant valid, and {@code release} (value: the token; a lock lost is recorded as
 * a release completed for its holder). {@code session-expired} ops say the cell expired a session.
 *
 * <p>Anomalies (kinds), per lock:
 * <ul>
 *   <li>{@code duplicate-token}: two ok acquires carry the same token (a double grant);</li>
 *   <li>{@code token-regression}: an ok acquire invoked after another completed has a lower token;</li>
 *   <li>{@code stale-write}: an ok write by token t invoked after an ok write by a token &gt; t
 *       completed: the resource accepted a stale holder after a newer grant acted;</li>
 *   <li>{@code overlapping-holders}: ok writes with tokens t &lt; t' overlap in real time while
 *       grant t had not yet begun to end (no release, loss or expiry of it invoked before the
 *       write by t' was): two holders acted at once;</li>
 *   <li>{@code grant-to-expired-session}: an ok acquire whose session's expiry completed before
 *       the acquire was invoked.</li>
 * </ul>
 * Every rule only compares events whose real-time order is certain, so a correct cell never
 * trips one however long its ops took. Stats: {@code locks}, {@code grants}, {@code writes}.
 */
public final class LockChecker implements Checker {

    @Override
    public CheckResult check(List<Op> history) {
        List<Call> calls = History.calls(history);
        Map<String, List<Call>> grants = okByKey(calls, Functions.ACQUIRE);
        Map<String, List<Call>> writes = okByKey(calls, Functions.WRITE);
        Map<String, List<Call>> releases = new HashMap<>();
        Map<Long, List<Call>> expiries = new HashMap<>();
        for (Call c : calls) {
            if (!c.isFail() && c.f().equals(Functions.RELEASE)) {
                releases.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
            } else if (!c.isFail() && c.f().equals(Functions.SESSION_EXPIRED) && c.session() != null) {
                expiries.computeIfAbsent(c.session(), k -> new ArrayList<>()).add(c);
            }
        }
        AnomalyLog log = new AnomalyLog();
        TreeSet<String> locks = new TreeSet<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        locks.addAll(grants.keySet());
        locks.addAll(writes.keySet());
        for (String lock : locks) {
            List<Call> lockGrants = grants.getOrDefault(lock, List.of());
            List<Call> lockWrites = writes.getOrDefault(lock, List.of());
            checkDuplicates(lock, lockGrants, log);
            checkGrantOrder(lock, lockGrants, log);
            checkStaleWrites(lock, lockWrites, log);
            GrantEnds ends = new GrantEnds(lockGrants, releases.getOrDefault(lock, List.of()), expiries);
            checkOverlaps(lock, lockWrites, ends, log);
            checkExpiredSessions(lock, lockGrants, expiries, log);
        }
        Map<String, Long> stats = Map.of(
                "locks", (long) locks.size(),
                "grants", grants.values().stream().mapToLong(List::size).sum(),
                "writes", writes.values().stream().mapToLong(List::size).sum());
        return log.result("lock", history, stats);
    }

    static Map<String, List<Call>> okByKey(List<Call> calls, String f) {
        Map<String, List<Call>> byKey = new HashMap<>();
        for (Call c : calls) {
            if (c.isOk() && c.f().equals(f)) {
                byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
            }
        }
        return byKey;
    }

    private static void checkDuplicates(String lock, List<Call> grants, AnomalyLog log) {
        Map<Long, Call> first = new HashMap<>();
        for (Call g : grants) {
            Call earlier = first.putIfAbsent(TokenOrder.resultToken(g), g);
            if (earlier != null) {
                log.add("duplicate-token", lock, "lock " + lock + ": token " + TokenOrder.resultToken(g)
                        + " granted twice, to " + who(earlier) + " and to " + who(g), earlier, g);
            }
        }
    }

    private static void checkGrantOrder(String lock, List<Call> grants, AnomalyLog log) {
        for (TokenOrder.Regression r : TokenOrder.regressions(grants, TokenOrder::resultToken)) {
            log.add("token-regression", lock, "lock " + lock + ": grant of token "
                    + TokenOrder.resultToken(r.later()) + " to " + who(r.later()) + " was invoked after the grant of token "
                    + TokenOrder.resultToken(r.earlier()) + " to " + who(r.earlier()) + " completed", r.earlier(), r.later());
        }
    }

    private static void checkStaleWrites(String lock, List<Call> writes, AnomalyLog log) {
        for (TokenOrder.Regression r : TokenOrder.regressions(writes, TokenOrder::invokeToken)) {
            log.add("stale-write", lock, "lock " + lock + ": the resource accepted token "
                    + TokenOrder.invokeToken(r.later()) + " from " + who(r.later()) + " after accepting token "
                    + TokenOrder.invokeToken(r.earlier()) + " from " + who(r.earlier()), r.earlier(), r.later());
        }
    }

    private static void checkOverlaps(String lock, List<Call> writes, GrantEnds ends, AnomalyLog log) {
        List<Call> byStart = new ArrayList<>(writes);
        byStart.sort(Comparator.comparingLong(Call::start).thenComparingInt(Call::index));
        List<Call> active = new ArrayList<>();
        for (Call w : byStart) {
            active.removeIf(a -> a.precedes(w));
            for (Call a : active) {
                long ta = TokenOrder.invokeToken(a);
                long tw = TokenOrder.invokeToken(w);
                if (ta == tw) {
                    continue;
                }
                Call older = ta < tw ? a : w;
                Call newer = older == a ? w : a;
                if (ends.endStart(TokenOrder.invokeToken(older)) >= newer.start()) {
                    log.add("overlapping-holders", lock, "lock " + lock + ": " + who(older) + " (token "
                            + TokenOrder.invokeToken(older) + ", not released) and " + who(newer) + " (token "
                            + TokenOrder.invokeToken(newer) + ") wrote to the resource at the same time", older, newer);
                }
            }
            active.add(w);
        }
    }

    private static void checkExpiredSessions(String lock, List<Call> grants, Map<Long, List<Call>> expiries,
                                             AnomalyLog log) {
        for (Call g : grants) {
            for (Call x : expiries.getOrDefault(g.session(), List.of())) {
                if (x.isOk() && x.precedes(g)) {
                    log.add("grant-to-expired-session", lock, "lock " + lock + ": token "
                            + TokenOrder.resultToken(g) + " granted to session " + g.session()
                            + ", whose expiry was reported before the acquire was invoked", x, g);
                    break;
                }
            }
        }
    }

    static String who(Call c) {
        return "process " + c.process() + (c.session() == null ? "" : " (session " + c.session() + ")");
    }

    /**
     * When each grant of one lock began to end, at the earliest: the invoke of a release of its
     * token (or, with no token given, by its holder's process after the grant), or of its
     * session's expiry. {@link Long#MAX_VALUE} if never.
     */
    private static final class GrantEnds {
        private final Map<Long, Call> grantByToken = new HashMap<>();
        private final List<Call> releases;
        private final Map<Long, List<Call>> expiries;

        GrantEnds(List<Call> grants, List<Call> releases, Map<Long, List<Call>> expiries) {
            grants.forEach(g -> grantByToken.putIfAbsent(TokenOrder.resultToken(g), g));
            this.releases = releases;
            this.expiries = expiries;
        }

        long endStart(long token) {
            Call grant = grantByToken.get(token);
            long end = Long.MAX_VALUE;
            for (Call r : releases) {
                Object v = r.invoke().value();
                boolean byToken = v instanceof Long t && t == token;
                boolean byHolder = !(v instanceof Long) && grant != null
                        && r.process() == grant.process() && r.start() > grant.start();
                if (byToken || byHolder) {
                    end = Math.min(end, r.start());
                }
            }
            if (grant != null && grant.session() != null) {
                for (Call x : expiries.getOrDefault(grant.session(), List.of())) {
                    if (x.start() >= grant.start()) {
                        end = Math.min(end, x.start());
                    }
                }
            }
            return end;
        }
    }
}
