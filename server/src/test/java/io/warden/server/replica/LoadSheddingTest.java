package io.warden.server.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.cell.CellCommand;
import io.warden.server.cell.CellResult;
import io.warden.server.cell.CellState;
import io.warden.server.config.LoadLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The replica loop's own bounds (docs/security.md, "Overload"): its client work lane and its
 * pending writes each refuse new work (sessions, acquires) at half, everything else only when
 * full, and KeepAlives not at all; every refusal names its limit and is counted.
 */
class LoadSheddingTest {
    private static final long CLIENT = 77;

    @Test
    void theWorkLaneShedsNewWorkAtHalfTheRestWhenFullAndNeverKeepAlives() throws Exception {
        try (OneReplicaLoop one = new OneReplicaLoop(new LoadLimits(4, 100, 100, 10, 100))) {
            ReplicaLoop loop = one.loop(); // not started: whatever is queued stays queued
            var first = loop.submit(CLIENT, 1, new CellCommand.CreateSession(0, null, null));
            var second = loop.submit(CLIENT, 2, new CellCommand.Acquire(1, "/a", io.warden.api.LockMode.EXCLUSIVE, 0, -1));
            var third = loop.submit(CLIENT, 3, new CellCommand.CreateSession(0, null, null));
            var release = loop.submit(CLIENT, 4, new CellCommand.Release(1, "/a"));
            var read = loop.read(CellState::sessionCount);
            var oneTooMany = loop.read(CellState::sessionCount);
            List<CompletableFuture<ReplicaLoop.KeepAlive>> keepAlives = new ArrayList<>();
            for (int i = 0; i < 50; i++) keepAlives.add(loop.keepAlive(1));

            assertThat(List.of(first, second, release, read)).allSatisfy(f -> assertThat(f).isNotDone());
            assertThat(refusal(third)).isEqualTo("maxQueuedRequests");
            assertThat(refusal(oneTooMany)).isEqualTo("maxQueuedRequests");
            assertThat(keepAlives).allSatisfy(f -> assertThat(f).isNotDone());
            assertThat(one.registry().counter("warden.shed.maxQueuedRequests").getCount()).isEqualTo(2);
        }
    }

    @Test
    void pendingWritesShedNewWorkBeforeWorkOnExistingSessions() throws Exception {
        try (OneReplicaLoop one = new OneReplicaLoop(new LoadLimits(100, 4, 100, 10, 100))) {
            one.start();
            ReplicaLoop loop = one.loop();
            long session = ((CellResult.SessionCreated) loop.submit(CLIENT, 1, new CellCommand.CreateSession(60_000, null, null))
                .get(5, TimeUnit.SECONDS)).session();

            // Hold the loop's thread inside a read, so that everything below is taken in one turn,
            // before any of it is decided: the pending writes pile up as under a slow disk.
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            var blocker = loop.read(s -> {
                inside.countDown();
                try {
                    return go.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<CellResult>> creates = new ArrayList<>();
            for (int i = 0; i < 4; i++) creates.add(loop.submit(CLIENT, 10 + i, new CellCommand.CreateSession(60_000, null, null)));
            List<CompletableFuture<CellResult>> releases = new ArrayList<>();
            for (int i = 0; i < 3; i++) releases.add(loop.submit(CLIENT, 20 + i, new CellCommand.Release(session, "/r" + i)));
            var keepAlive = loop.keepAlive(session);
            go.countDown();
            assertThat(blocker.get(5, TimeUnit.SECONDS)).isTrue();

            // New sessions: admitted below half of maxPendingWrites (2), then refused.
            assertThat(creates.get(0).get(5, TimeUnit.SECONDS)).isInstanceOf(CellResult.SessionCreated.class);
            assertThat(creates.get(1).get(5, TimeUnit.SECONDS)).isInstanceOf(CellResult.SessionCreated.class);
            assertThat(refusal(creates.get(2))).isEqualTo("maxPendingWrites");
            assertThat(refusal(creates.get(3))).isEqualTo("maxPendingWrites");
            // Work on an existing session: admitted up to the bound (4), then refused.
            assertThat(releases.get(0).get(5, TimeUnit.SECONDS)).isInstanceOf(CellResult.Refused.class); // not-holder: decided
            assertThat(releases.get(1).get(5, TimeUnit.SECONDS)).isInstanceOf(CellResult.Refused.class);
            assertThat(refusal(releases.get(2))).isEqualTo("maxPendingWrites");
            // The KeepAlive came in during all that, and was answered.
            assertThat(keepAlive.get(5, TimeUnit.SECONDS).session()).isEqualTo(session);
            assertThat(one.registry().counter("warden.shed.maxPendingWrites").getCount()).isEqualTo(3);

            // The backlog gone, new sessions are admitted again.
            assertThat(loop.submit(CLIENT, 30, new CellCommand.CreateSession(60_000, null, null)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(CellResult.SessionCreated.class);
        }
    }

    /** The limit a refused request names; fails the test if it was not refused for overload. */
    private static String refusal(CompletableFuture<?> f) throws InterruptedException {
        try {
            Object r = f.get(5, TimeUnit.SECONDS);
            throw new AssertionError("expected a refusal for overload, got " + r);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(OverloadedException.class);
            return ((OverloadedException) e.getCause()).limit();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within 5 s", e);
        }
    }
}
