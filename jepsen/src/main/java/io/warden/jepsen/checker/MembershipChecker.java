package io.warden.jepsen.checker;

import io.warden.jepsen.history.Call;
import io.warden.jepsen.history.Functions;
import io.warden.jepsen.history.History;
import io.warden.jepsen.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the membership/sessions workload. Ops: {@code join} and {@code leave} (key: the group,
 * value: the member name, under a session), {@code members} (key: the group; ok value: the list of
 * member names), {@code open-session} and {@code keepalive} (under a session),
 * {@code session-expired} (the cell declared the session expired), and the lock ops
 * {@code acquire}/{@code release} of the lock workload.
 *
 * <p>A session is certainly live until the instant its ops prove (see {@link SessionLiveness}: the
 * last ok keepalive's invoke plus the session timeout); its expiry certainly happened by the
 * completion of its {@code session-expired} op. Anomalies (kinds):
 * <ul>
 *   <li>{@code live-session-expired}: a session declared expired before the lease its keepalives
 *       won ran out (or used after being declared expired), e.g. by a fail-over;</li>
 *   <li>{@code listed-not-member}: a read lists a member that was not one at any instant of the
 *       read's window: never joined, joined only after the read, or gone (left, or its session
 *       expired) before the read began;</li>
 *   <li>{@code missing-live-member}: a read omits a member whose join completed before the read,
 *       with no leave or expiry possibly before the read's end and its session certainly live
 *       throughout the read;</li>
 *   <li>{@code lock-delay-violated}: see {@link LockDelayCheck}.</li>
 * </ul>
 * Stats: {@code groups}, {@code reads}, {@code sessions-expired}.
 */
public final class MembershipChecker implements Checker {
    private final long sessionTimeoutNanos;
    private final long lockDelayNanos;

    /**
     * {@code sessionTimeoutNanos}: the shortest lease a successful keepalive guarantees;
     * {@code lockDelayNanos}: the lock-delay the workload's locks were acquired with.
     */
    public MembershipChecker(long sessionTimeoutNanos, long lockDelayNanos) {
        if (sessionTimeoutNanos < 0 || lockDelayNanos < 0) {
            throw new IllegalArgumentException("timeouts must be >= 0");
        }
        this.sessionTimeoutNanos = sessionTimeoutNanos;
        this.lockDelayNanos = lockDelayNanos;
    }

    @Override
    public CheckResult check(List<Op> history) {
        List<Call> calls = History.calls(history);
        SessionLiveness liveness = new SessionLiveness(calls, sessionTimeoutNanos);
        Map<Long, List<Call>> expiries = new HashMap<>();
        Map<String, Map<Object, List<Call>>> byGroup = new HashMap<>();
        List<Call> reads = new ArrayList<>();
        for (Call c : calls) {
            if (c.isFail()) {
                continue;
            }
            switch (c.f()) {
                case Functions.SESSION_EXPIRED -> {
                    if (c.session() != null) {
                        expiries.computeIfAbsent(c.session(), k -> new ArrayList<>()).add(c);
                    }
                }
                case Functions.JOIN, Functions.LEAVE -> byGroup.computeIfAbsent(c.key(), k -> new HashMap<>())
                        .computeIfAbsent(c.invoke().value(), k -> new ArrayList<>()).add(c);
                case Functions.MEMBERS -> {
                    if (c.isOk()) {
                        reads.add(c);
                    }
                }
                default -> { }
            }
        }
        AnomalyLog log = new AnomalyLog();
        checkExpiries(expiries, liveness, log);
        Memberships memberships = new Memberships(byGroup, expiries, liveness);
        for (Call read : reads) {
            memberships.checkRead(read, log);
        }
        new LockDelayCheck(lockDelayNanos).check(calls, expiries, liveness, log);
        Map<String, Long> stats = Map.of(
                "groups", reads.stream().map(Call::key).distinct().count(),
                "reads", (long) reads.size(),
                "sessions-expired", expiries.values().stream().filter(xs -> xs.stream().anyMatch(Call::isOk)).count());
        return log.result("membership", history, stats);
    }

    private void checkExpiries(Map<Long, List<Call>> expiries, SessionLiveness liveness, AnomalyLog log) {
        expiries.forEach((session, xs) -> {
            SessionLiveness.Proof proof = liveness.proof(session);
            for (Call x : xs) {
                if (x.isOk() && proof != null && x.end() < proof.liveUntil()) {
                    log.add("live-session-expired", null, "session " + session + " was declared expired by "
                            + x.end() + ", but " + proof.call().f() + " by " + LockChecker.who(proof.call())
                            + " proves it live until " + proof.liveUntil(), proof.call(), x);
                    return;
                }
            }
        });
    }

    /** The join/leave calls of every member of every group, and the reads' rules over them. */
    private static final class Memberships {
        private final Map<String, Map<Object, List<Call>>> byGroup;
        private final Map<Long, List<Call>> expiries;
        private final SessionLiveness liveness;

        Memberships(Map<String, Map<Object, List<Call>>> byGroup, Map<Long, List<Call>> expiries,
                    SessionLiveness liveness) {
            this.byGroup = byGroup;
            this.expiries = expiries;
            this.liveness = liveness;
        }

        void checkRead(Call read, AnomalyLog log) {
            if (!(read.result() instanceof List<?> listed)) {
                throw new IllegalArgumentException("a members read must return a list: " + read.completion());
            }
            Map<Object, List<Call>> members = byGroup.getOrDefault(read.key(), Map.of());
            for (Object member : listed) {
                List<Call> history = members.getOrDefault(member, List.of());
                if (history.stream().noneMatch(join -> possiblyMember(join, history, read))) {
                    log.add("listed-not-member", read.key(), "group " + read.key() + ": " + member + " listed by "
                            + LockChecker.who(read) + " but not a member at any instant of the read",
                            related(history, read));
                }
            }
            members.forEach((member, history) -> {
                if (listed.contains(member)) {
                    return;
                }
                history.stream().filter(join -> certainlyMember(join, history, read)).findFirst().ifPresent(join ->
                        log.add("missing-live-member", read.key(), "group " + read.key() + ": " + member
                                + " (session " + join.session() + ", live throughout) missing from the list read by "
                                + LockChecker.who(read), join, read));
            });
        }

        /** Could {@code join} have made its member present at an instant of the read? */
        private boolean possiblyMember(Call join, List<Call> history, Call read) {
            return join.f().equals(Functions.JOIN) && !read.precedes(join) && !certainlyGoneBefore(join, history, read);
        }

        /** Did an ok leave (after an ok join) or an ok expiry of its session end it before the read? */
        private boolean certainlyGoneBefore(Call join, List<Call> history, Call read) {
            for (Call x : expiries.getOrDefault(join.session(), List.of())) {
                if (x.isOk() && x.precedes(read)) {
                    return true;
                }
            }
            if (!join.isOk()) {
                return false; // an info join may take effect after any leave
            }
            return history.stream().anyMatch(leave -> leave.f().equals(Functions.LEAVE) && leave.isOk()
                    && join.precedes(leave) && leave.precedes(read));
        }

        /** Was {@code join}'s member certainly present throughout the read's window? */
        private boolean certainlyMember(Call join, List<Call> history, Call read) {
            if (!join.f().equals(Functions.JOIN) || !join.isOk() || !join.precedes(read) || join.session() == null
                    || liveness.liveUntil(join.session()) <= read.end()) {
                return false;
            }
            List<Call> enders = new ArrayList<>(history.stream().filter(c -> c.f().equals(Functions.LEAVE)).toList());
            enders.addAll(expiries.getOrDefault(join.session(), List.of()));
            return enders.stream().noneMatch(e -> !e.precedes(join) && e.start() < read.end());
        }

        private Call[] related(List<Call> history, Call read) {
            List<Call> related = new ArrayList<>(history);
            history.stream().map(Call::session).distinct()
                    .forEach(s -> related.addAll(expiries.getOrDefault(s, List.of())));
            related.add(read);
            return related.toArray(Call[]::new);
        }
    }
}
