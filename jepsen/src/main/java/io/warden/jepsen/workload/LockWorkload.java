package io.warden.jepsen.workload;

import io.warden.client.Grant;
import io.warden.client.Session;
import io.warden.jepsen.checker.Checker;
import io.warden.jepsen.checker.LockChecker;
import io.warden.jepsen.checker.MembershipChecker;
import io.warden.jepsen.history.Functions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Clients contend for a few exclusive locks ({@code /jepsen/lock-0}, ...), each acquired with the
 * run's lock-delay. A holder writes its fencing token to the lock's {@link FencedRegister} a few
 * times while its grant is valid, then releases. Recorded:
 * <ul>
 *   <li>{@code acquire} (ok value: the token; fail: not granted within the wait);</li>
 *   <li>{@code write} (value: the token): ok means the grant was valid throughout the op (checked
 *       at its start and end, around the few milliseconds of work it stands for) and the resource
 *       admitted the token at its end; fail if the grant was lost or the token was fenced off;</li>
 *   <li>{@code release} (value: the token): ok for a release; a grant lost instead (jeopardy,
 *       expiry) is a release completed {@code ok} with the error {@code "lost: <why>"}, after which
 *       the worker drops that client as if it crashed (see {@link Worker#stopOnLoss});</li>
 *   <li>{@code keepalive} proofs of life and, now and then, a client {@code crash} while holding
 *       (the cell must then expire the session and keep the lock for its lock-delay).</li>
 * </ul>
 * Checked by {@link LockChecker} (tokens, stale writes, overlapping holders, grants to expired
 * sessions) and {@link MembershipChecker} (lock-delay after expiry, no live session expired).
 */
public final class LockWorkload implements Workload {
    private final List<String> locks = new ArrayList<>();
    private final FencedRegister resource;
    private final boolean plantedBug;

    public LockWorkload(int locks) {
        this(locks, false);
    }

    /**
     * With {@code plantedBug} ({@code zombie-holder}), a bug is planted on purpose: the resource is
     * unfenced (it admits any token), and now and then a holder's client stops dead right after its
     * grant (as if cut off from the cell) while the worker keeps writing for 6 s without checking
     * its grant: Kleppmann's paused lock holder. The cell expires that session and grants the lock
     * to the next holder, the zombie's later writes land after the newer holder's, and the lock
     * checker must report them ({@code stale-write}).
     */
    public LockWorkload(int locks, boolean plantedBug) {
        for (int i = 0; i < locks; i++) {
            this.locks.add("/jepsen/lock-" + i);
        }
        this.plantedBug = plantedBug;
        this.resource = new FencedRegister(!plantedBug);
    }

    @Override
    public String name() {
        return "lock";
    }

    /** The resource the holders wrote to. */
    public FencedRegister resource() {
        return resource;
    }

    @Override
    public Worker newWorker(WorkloadContext ctx, int index) {
        return new LockWorker(ctx, index);
    }

    @Override
    public List<Checker> checkers(ClientSettings settings) {
        return List.of(new LockChecker(), new MembershipChecker(0, settings.lockDelay().toNanos()));
    }

    @Override
    public Map<String, Object> stats() {
        return Map.of("locks", locks.size(), "resource-writes-admitted", resource.admitted(),
                "resource-writes-refused", resource.refused());
    }

    private final class LockWorker extends Worker {
        LockWorker(WorkloadContext ctx, int index) {
            super(ctx, index);
        }

        @Override
        protected void step() throws InterruptedException {
            Session s = session();
            if (s == null) {
                sleepUnlessStopped(200);
                return;
            }
            probe();
            String lock = locks.get(random.nextInt(locks.size()));
            Grant grant = acquireRecorded(s, lock);
            if (grant == null) {
                return;
            }
            hold(grant);
        }

        private void hold(Grant grant) throws InterruptedException {
            if (plantedBug && random.nextInt(10) < 3) {
                zombie(grant);
                return;
            }
            int writes = 1 + random.nextInt(4);
            int crashAt = random.nextInt(100) < 2 ? random.nextInt(writes) : -1;
            for (int k = 0; k < writes && !ctx.stopped(); k++) {
                if (k == crashAt) {
                    crash(grant.lock(), grant.token());
                    return;
                }
                write(grant);
                if (!grant.isValid()) {
                    break;
                }
                Thread.sleep(10 + random.nextInt(50));
            }
            end(grant);
        }

        /** The planted bug: the client stops dead; the worker writes on for 6 s, never checking its grant. */
        private void zombie(Grant grant) throws InterruptedException {
            freezeClient();
            long end = System.nanoTime() + 6_000_000_000L;
            while (System.nanoTime() < end && !ctx.stopped()) {
                invoke(Functions.WRITE, grant.lock(), grant.token());
                Thread.sleep(2 + random.nextInt(20));
                if (resource.write(grant.sequencer())) {
                    ok();
                } else {
                    fail("fenced: token " + grant.token() + " is older than " + resource.highest(grant.lock()));
                }
                Thread.sleep(20 + random.nextInt(80));
            }
            crash(null, 0); // its session expired at the cell meanwhile: the history's session-expired op ends the grant
        }

        private void write(Grant grant) throws InterruptedException {
            invoke(Functions.WRITE, grant.lock(), grant.token());
            if (!grant.isValid()) {
                fail("grant lost before the write");
                return;
            }
            Thread.sleep(2 + random.nextInt(20)); // the work the write stands for
            if (!grant.isValid()) {
                fail("grant lost during the write");
            } else if (resource.write(grant.sequencer())) {
                ok();
            } else {
                fail("fenced: token " + grant.token() + " is older than " + resource.highest(grant.lock()));
            }
        }

        private void end(Grant grant) {
            invoke(Functions.RELEASE, grant.lock(), grant.token());
            if (grant.isValid()) {
                try {
                    grant.release();
                    ok();
                } catch (RuntimeException e) {
                    failed(e);
                }
                return;
            }
            ok(grant.token(), "lost: " + lostBecause(grant));
            abandonAfterLoss();
        }
    }

    static String lostBecause(Grant grant) {
        return grant.lostReason().orElse("no longer valid");
    }
}
