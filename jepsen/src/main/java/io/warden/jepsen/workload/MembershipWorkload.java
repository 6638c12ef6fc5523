package io.warden.jepsen.workload;

import io.warden.api.Groups;
import io.warden.client.Grant;
import io.warden.client.Session;
import io.warden.jepsen.checker.Checker;
import io.warden.jepsen.checker.LockChecker;
import io.warden.jepsen.checker.MembershipChecker;
import io.warden.jepsen.history.Functions;
import java.util.ArrayList;
import java.util.List;

/**
 * Group membership and sessions. Clients join and leave one or two groups
 * ({@code /jepsen/group-0}, ...) under their sessions with member names never reused, list the
 * members, record proofs of life ({@code keepalive}), take a shared lock
 * ({@code /jepsen/members-lock}, with the run's lock-delay) now and then, and sometimes crash (stop
 * their KeepAlives without closing the session, possibly while holding the lock). The cell must then
 * expire the session, drop its members and keep its lock for the lock-delay. Checked by
 * {@link MembershipChecker} (a member is listed iff its session was live; no live session expired;
 * lock-delay after expiry) and {@link LockChecker} (the lock's tokens).
 */
public final class MembershipWorkload implements Workload {
    static final String LOCK = "/jepsen/members-lock";
    private final List<String> groups = new ArrayList<>();

    public MembershipWorkload(int groups) {
        for (int i = 0; i < groups; i++) {
            this.groups.add("/jepsen/group-" + i);
        }
    }

    @Override
    public String name() {
        return "membership";
    }

    @Override
    public Worker newWorker(WorkloadContext ctx, int index) {
        return new Member(ctx, index);
    }

    @Override
    public List<Checker> checkers(ClientSettings settings) {
        return List.of(new MembershipChecker(0, settings.lockDelay().toNanos()), new LockChecker());
    }

    private final class Member extends Worker {
        /** Members this worker's current session joined: {group, member}. */
        private final List<String[]> joined = new ArrayList<>();
        private Long joinedUnder;
        private int names;

        Member(WorkloadContext ctx, int index) {
            super(ctx, index);
        }

        @Override
        protected void step() throws InterruptedException {
            Session s = session();
            if (s == null) {
                sleepUnlessStopped(200);
                return;
            }
            if (joinedUnder == null || joinedUnder != s.id()) {
                joined.clear(); // a new session: the old one's members are gone with it
                joinedUnder = s.id();
            }
            String group = groups.get(random.nextInt(groups.size()));
            int r = random.nextInt(100);
            if (r < 25) {
                join(s, group);
            } else if (r < 40) {
                leave(s);
            } else if (r < 70) {
                list(s, group);
            } else if (r < 88) {
                probe();
            } else if (r < 98) {
                lockTenure(s);
            } else {
                crash(null, 0);
            }
        }

        private void join(Session s, String group) {
            String member = "w" + index + "-p" + process() + "-" + names++;
            invoke(Functions.JOIN, group, member);
            try {
                s.group(group).join(member, "jepsen");
                ok();
                joined.add(new String[] {group, member});
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        private void leave(Session s) {
            if (joined.isEmpty()) {
                probe();
                return;
            }
            String[] m = joined.remove(random.nextInt(joined.size()));
            invoke(Functions.LEAVE, m[0], m[1]);
            try {
                s.group(m[0]).leave(m[1]);
                ok();
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        private void list(Session s, String group) {
            invoke(Functions.MEMBERS, group, null);
            try {
                List<String> names = s.group(group).members().members().stream().map(Groups.Member::member).toList();
                ok(names);
            } catch (RuntimeException e) {
                fail(describe(e)); // a read changes nothing
            }
        }

        private void lockTenure(Session s) throws InterruptedException {
            Grant grant = acquireRecorded(s, LOCK);
            if (grant == null) {
                return;
            }
            sleepUnlessStopped(50 + random.nextInt(250));
            probe();
            if (random.nextInt(100) < 15 && grant.isValid()) {
                crash(LOCK, grant.token());
                return;
            }
            invoke(Functions.RELEASE, LOCK, grant.token());
            if (grant.isValid()) {
                try {
                    grant.release();
                    ok();
                } catch (RuntimeException e) {
                    failed(e);
                }
                return;
            }
            ok(grant.token(), "lost: " + LockWorkload.lostBecause(grant));
            abandonAfterLoss();
        }
    }
}
