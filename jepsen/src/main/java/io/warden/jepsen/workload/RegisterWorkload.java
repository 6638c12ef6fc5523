package io.warden.jepsen.workload;

import io.warden.api.Locks;
import io.warden.client.Grant;
import io.warden.client.RetryPolicy;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import io.warden.jepsen.checker.Checker;
import io.warden.jepsen.checker.LinearizabilityChecker;
import io.warden.jepsen.history.Functions;
import io.warden.jepsen.history.HistoryRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Read, write and compare-and-set on lock values, one register per lock ({@code /jepsen/register-0},
 * ...), checked for linearizability per key.
 *
 * <p>The register is the lock's value: {@code write} is {@link Grant#setValue} by the exclusive
 * holder; {@code read} is {@link WardenClient#inspect}'s value (by anyone: a linearizable read at
 * the master); {@code cas [expected, new]} is, while holding the lock, a read, a compare and a set
 * (the exclusive grant makes the three one atomic step; it fails if the value differs). Values are
 * small integers. The cell clears a lock's value when it frees the lock, so that is recorded too:
 * a release is a {@code write} of null (ok when the release was acknowledged), and a grant lost
 * instead (jeopardy, expiry, the session closed) is a {@code write} of null completed {@code info}
 * (by a process of its own, the moment the library gives the grant up: the cell frees the lock at
 * some time after that). An acquire is recorded as {@code acquire} (ignored by the checker).
 * After the run, every register is read once more from the healed cell.
 */
public final class RegisterWorkload implements Workload {
    private static final int VALUES = 10;
    private final List<String> keys = new ArrayList<>();

    public RegisterWorkload(int registers) {
        for (int i = 0; i < registers; i++) {
            keys.add("/jepsen/register-" + i);
        }
    }

    @Override
    public String name() {
        return "register";
    }

    @Override
    public Worker newWorker(WorkloadContext ctx, int index) {
        return new RegisterWorker(ctx, index);
    }

    @Override
    public List<Checker> checkers(ClientSettings settings) {
        return List.of(new LinearizabilityChecker());
    }

    /** A final read of every register, each by a fresh process, retried until one answers. */
    @Override
    public void finalOps(WorkloadContext ctx) {
        HistoryRecorder recorder = ctx.recorder();
        try (WardenClient client = WardenClient.builder().endpoints(ctx.endpoints().toArray(String[]::new))
                .requestTimeout(ctx.settings().requestTimeout())
                .retryPolicy(new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(400), Duration.ofSeconds(10)))
                .build()) {
            for (String key : keys) {
                for (int attempt = 0; attempt < 3; attempt++) {
                    int p = recorder.newProcess();
                    recorder.invoke(p, Functions.READ, key, null);
                    try {
                        recorder.ok(p, value(client.inspect(key)));
                        break;
                    } catch (RuntimeException e) {
                        recorder.fail(p, Worker.describe(e));
                    }
                }
            }
        }
    }

    /** A lock's value as a register value: null, a number, or (should something else be there) the text. */
    static Object value(Optional<Locks.View> view) {
        String v = view.map(Locks.View::value).orElse(null);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    private final class RegisterWorker extends Worker {
        RegisterWorker(WorkloadContext ctx, int index) {
            super(ctx, index);
        }

        @Override
        protected void step() throws InterruptedException {
            String key = keys.get(random.nextInt(keys.size()));
            if (random.nextInt(10) < 4) {
                read(key);
                return;
            }
            Session s = session();
            if (s == null) {
                sleepUnlessStopped(200);
                return;
            }
            invoke(Functions.ACQUIRE, key, null);
            Grant grant;
            try {
                Optional<Grant> got = s.lock(key).withLockDelay(ctx.settings().lockDelay())
                        .acquire(ctx.settings().acquireWait());
                if (got.isEmpty()) {
                    fail("not-acquired within " + ctx.settings().acquireWait().toMillis() + " ms");
                    return;
                }
                grant = got.get();
                ok(grant.token());
            } catch (RuntimeException e) {
                failed(e);
                return;
            }
            Long session = s.id();
            grant.onLost(() -> valueReset(key, session));
            tenure(grant, key);
        }

        /** A few ops as the holder; the register is null when the tenure starts. */
        private void tenure(Grant grant, String key) throws InterruptedException {
            int process = process();
            Long last = null;
            int ops = 1 + random.nextInt(3);
            for (int k = 0; k < ops && grant.isValid() && !ctx.stopped(); k++) {
                switch (random.nextInt(3)) {
                    case 0 -> last = write(grant, key, (long) random.nextInt(VALUES), last);
                    case 1 -> last = cas(grant, key, random.nextInt(10) < 7 ? last : Long.valueOf(random.nextInt(VALUES)),
                            random.nextInt(VALUES), last);
                    default -> read(key);
                }
                if (process() != process) {
                    return; // an op ended info: the client and its session were given up
                }
                Thread.sleep(5 + random.nextInt(30));
            }
            release(grant, key);
        }

        private void read(String key) {
            invoke(Functions.READ, key, null);
            try {
                ok(value(client().inspect(key)));
            } catch (RuntimeException e) {
                fail(describe(e)); // a read changes nothing, whatever became of it
            }
        }

        private Long write(Grant grant, String key, long v, Long last) {
            invoke(Functions.WRITE, key, v);
            try {
                grant.setValue(Long.toString(v));
                ok();
                return v;
            } catch (RuntimeException e) {
                failed(e);
                return last;
            }
        }

        private Long cas(Grant grant, String key, Long expected, long next, Long last) {
            invoke(Functions.CAS, key, Arrays.asList(expected, next));
            try {
                Object now = value(client().inspect(key));
                if (!Objects.equals(now, expected)) {
                    fail("the value is " + now);
                    return last;
                }
            } catch (RuntimeException e) {
                fail(describe(e)); // nothing was set
                return last;
            }
            try {
                grant.setValue(Long.toString(next));
                ok();
                return next;
            } catch (RuntimeException e) {
                failed(e);
                return last;
            }
        }

        /** Releasing clears the value: a write of null. A lost grant was recorded by {@link #valueReset}. */
        private void release(Grant grant, String key) {
            if (!grant.isValid()) {
                try {
                    grant.release();
                } catch (RuntimeException e) {
                    // the cell frees it when the session ends
                }
                return;
            }
            invoke(Functions.WRITE, key, null);
            try {
                grant.release();
                ok();
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        /** The library gave the grant up: the cell will clear the value at some time from now on. */
        private void valueReset(String key, Long session) {
            HistoryRecorder recorder = ctx.recorder();
            int p = recorder.newProcess();
            recorder.invoke(p, Functions.WRITE, key, null, session);
            recorder.info(p, "grant lost: the cell clears the value when it frees the lock");
        }
    }
}
