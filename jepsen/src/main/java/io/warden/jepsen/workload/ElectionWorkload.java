package io.warden.jepsen.workload;

import io.warden.client.Grant;
import io.warden.client.Session;
import io.warden.jepsen.checker.Checker;
import io.warden.jepsen.checker.ElectionChecker;
import io.warden.jepsen.history.Functions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Clients campaign in one or two elections ({@code /jepsen/election-0}, ...), lead for a while, and
 * resign. A campaign is what {@code LeaderElection.campaign} does (acquire the election's lock
 * exclusively, then proclaim the leader in its value) with a bounded wait, since the library's
 * campaign waits forever. Recorded: {@code campaign} (ok value: the leadership's fencing token;
 * fail: not elected within the wait), then {@code resign} (value: the token), or {@code lost} the
 * moment the library says leadership ended (jeopardy, expiry); now and then a leader stops acting
 * ({@code lost}) and crashes without resigning, so the cell must expire its session. The
 * session-expiry observations are late (the harness learns of them from the event stream), so a
 * crash is recorded as the end of the leadership the client acted on. Checked by {@link ElectionChecker}: at
 * most one leader at any instant, tokens unique and increasing.
 */
public final class ElectionWorkload implements Workload {
    private final List<String> elections = new ArrayList<>();

    public ElectionWorkload(int elections) {
        for (int i = 0; i < elections; i++) {
            this.elections.add("/jepsen/election-" + i);
        }
    }

    @Override
    public String name() {
        return "election";
    }

    @Override
    public Worker newWorker(WorkloadContext ctx, int index) {
        return new Candidate(ctx, index);
    }

    @Override
    public List<Checker> checkers(ClientSettings settings) {
        return List.of(new ElectionChecker());
    }

    private final class Candidate extends Worker {
        Candidate(WorkloadContext ctx, int index) {
            super(ctx, index);
        }

        @Override
        protected void step() throws InterruptedException {
            Session s = session();
            if (s == null) {
                sleepUnlessStopped(200);
                return;
            }
            String election = elections.get(random.nextInt(elections.size()));
            invoke(Functions.CAMPAIGN, election, null);
            Grant leadership;
            try {
                Optional<Grant> got = s.lock(election).withLockDelay(ctx.settings().lockDelay())
                        .acquire(ctx.settings().acquireWait());
                if (got.isEmpty()) {
                    fail("not elected within " + ctx.settings().acquireWait().toMillis() + " ms");
                    return;
                }
                leadership = got.get();
            } catch (RuntimeException e) {
                failed(e);
                return;
            }
            try {
                leadership.setValue("worker-" + index + "/process-" + process());
            } catch (RuntimeException e) {
                releaseQuietly(leadership); // never proclaimed: give it up
                failed(e);
                return;
            }
            ok(leadership.token());
            lead(election, leadership);
        }

        private void lead(String election, Grant leadership) throws InterruptedException {
            CountDownLatch lost = new CountDownLatch(1);
            leadership.onLost(lost::countDown);
            long holdMillis = 200 + random.nextInt(1300);
            if (random.nextInt(100) < 3) {
                lost.await(random.nextInt((int) holdMillis), TimeUnit.MILLISECONDS);
                if (leadership.isValid()) {
                    // The client stops acting as leader now, then dies without resigning; the cell
                    // must keep the lock until the session expires (and the lock-delay after).
                    invoke(Functions.LOST, election, leadership.token());
                    ok();
                    crash(election, leadership.token());
                    return;
                }
            }
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(holdMillis);
            boolean wasLost = false;
            while (!ctx.stopped() && System.nanoTime() < end && !wasLost) {
                wasLost = lost.await(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)),
                        TimeUnit.MILLISECONDS) || !leadership.isValid();
            }
            wasLost = wasLost || !leadership.isValid();
            if (wasLost) {
                invoke(Functions.LOST, election, leadership.token());
                ok();
                releaseQuietly(leadership);
                return;
            }
            invoke(Functions.RESIGN, election, leadership.token());
            try {
                leadership.release();
                ok();
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        private void releaseQuietly(Grant g) {
            try {
                g.release();
            } catch (RuntimeException e) {
                // the cell frees it when the session ends
            }
        }
    }
}
