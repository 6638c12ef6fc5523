package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.Locks;
import io.warden.client.Grant;
import io.warden.client.LeaderElection;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client library against a real cell (separate replica processes): fail-over, a killed leader, a paused master. */
@Timeout(180)
class ClientLibraryTest {
    @RegisterExtension
    final LocalCells cells = new LocalCells();

    private static WardenClient client(LocalCell cell) {
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= cell.size(); i++) urls.add(cell.url(i));
        return WardenClient.builder().endpoints(urls.toArray(String[]::new)).requestTimeout(Duration.ofSeconds(2)).build();
    }

    private static String endpoints(LocalCell cell) {
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= cell.size(); i++) urls.add(cell.url(i));
        return String.join(",", urls);
    }

    /**
     * Rule (Chubby §2.9): a master fail-over expires no healthy session; the new master gives every
     * session a fresh lease, so the client keeps its session and its locks, and its grant never
     * stops being valid.
     */
    @Test
    void aClientKeepsItsSessionAndLocksThroughAMasterFailover() throws Exception {
        LocalCell cell = cells.start("client-failover", 3, LocalCell.Timings.standard());
        int master = cell.awaitMaster(Duration.ofSeconds(60));
        try (WardenClient client = client(cell); WardenClient other = client(cell)) {
            Session session = client.newSession(Duration.ofSeconds(10), "survivor");
            Grant grant = session.lock("/orders/primary").acquire(Duration.ofSeconds(5)).orElseThrow();
            Session rival = other.newSession(Duration.ofSeconds(10), "rival");
            // The rival waits in the queue while the master dies: its acquire is retried at the new
            // master with the same request id, so it is queued once and granted once.
            CompletableFuture<Optional<Grant>> waiting = rival.lock("/orders/primary").acquireAsync(Duration.ofSeconds(60));
            LocalCell.await(() -> "the rival is queued", Duration.ofSeconds(5),
                () -> client.inspect("/orders/primary").map(v -> v.waiters().size() == 1).orElse(false));
            AtomicLong invalidSamples = new AtomicLong();
            CompletableFuture<Void> watching = CompletableFuture.runAsync(() -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
                while (System.nanoTime() < end) {
                    if (!grant.isValid()) invalidSamples.incrementAndGet();
                    LocalCell.sleep(20);
                }
            });
            cell.kill9(master);
            int next = cell.awaitMaster(Duration.ofSeconds(30));
            assertThat(next).isNotEqualTo(master);
            watching.get(20, TimeUnit.SECONDS);
            assertThat(invalidSamples.get()).as("samples where the grant was not valid").isZero();
            assertThat(session.state()).isEqualTo(Session.State.SAFE);
            assertThat(rival.state()).isEqualTo(Session.State.SAFE);
            assertThat(waiting).as("no second grant while the first holder holds").isNotDone();
            Locks.View view = client.inspect("/orders/primary").orElseThrow();
            assertThat(view.holders()).extracting(Locks.Holder::session).containsExactly(session.id());
            assertThat(view.holders().get(0).token()).isEqualTo(grant.token());
            assertThat(view.waiters()).extracting(Locks.Waiter::session).as("queued exactly once").containsExactly(rival.id());
            grant.release();
            Grant taken = waiting.get(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(taken.token()).isGreaterThan(grant.token());
            assertThat(taken.isValid()).isTrue();
        }
    }

    /** Rule: the leader's process dies (kill -9) → its session expires → another client leads, with a higher token. */
    @Test
    void whenTheLeaderProcessIsKilledAnotherClientLeadsWithAHigherToken() throws Exception {
        LocalCell cell = cells.start("client-leader", 3, LocalCell.Timings.fast());
        cell.awaitMaster(Duration.ofSeconds(60));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process leader = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", ClassPathSnapshot.get(),
            LeaderProcess.class.getName(), endpoints(cell), "/election/api", "leader-process:8080", "2000")
            .redirectErrorStream(true).start();
        try (WardenClient client = client(cell)) {
            BufferedReader out = new BufferedReader(new InputStreamReader(leader.getInputStream(), StandardCharsets.UTF_8));
            long firstToken = -1;
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("LEADER ")) {
                    firstToken = Long.parseLong(line.substring(7).trim());
                    break;
                }
            }
            assertThat(firstToken).as("the leader process led").isPositive();
            Session session = client.newSession(Duration.ofSeconds(10), "contender");
            LeaderElection election = session.election("/election/api");
            assertThat(election.leader()).map(LeaderElection.Leader::value).contains("leader-process:8080");
            CompletableFuture<Grant> campaign = CompletableFuture.supplyAsync(() -> {
                try {
                    return election.campaign("contender:9090");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            LocalCell.sleep(300);
            assertThat(campaign).isNotDone();
            leader.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Grant mine = campaign.get(30, TimeUnit.SECONDS);
            assertThat(mine.token()).isGreaterThan(firstToken);
            Optional<LeaderElection.Leader> now = election.leader();
            assertThat(now).isPresent();
            assertThat(now.get().value()).isEqualTo("contender:9090");
            assertThat(now.get().token()).isEqualTo(mine.token());
        } finally {
            leader.destroyForcibly();
        }
    }

    /**
     * Rule: leadership ends the moment the session is in jeopardy. The master is paused past the
     * session's local lease: the leader's grant turns invalid (onLost runs) before the cell elects
     * anyone else, so there is never a moment with two valid leaders.
     */
    @Test
    void aPausedMasterInvalidatesTheOldLeaderBeforeANewOneIsElected() throws Exception {
        LocalCell cell = cells.start("client-pause", 3, LocalCell.Timings.standard());
        int master = cell.awaitMaster(Duration.ofSeconds(60));
        try (WardenClient a = client(cell); WardenClient b = client(cell)) {
            Session leaderSession = a.newSession(Duration.ofMillis(1_000), "old-leader");
            Grant leadership = leaderSession.election("/election/db").campaign("a:1");
            AtomicLong lostAt = new AtomicLong();
            leadership.onLost(() -> lostAt.compareAndSet(0, System.nanoTime()));
            Session contender = b.newSession(Duration.ofSeconds(30), "new-leader");
            CompletableFuture<Long> electedAt = CompletableFuture.supplyAsync(() -> {
                try {
                    Grant g = contender.election("/election/db").campaign("b:1");
                    assertThat(g.token()).isGreaterThan(leadership.token());
                    return System.nanoTime();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            cell.pause(master);
            try {
                long newLeader = electedAt.get(60, TimeUnit.SECONDS);
                assertThat(lostAt.get()).as("the old leader was told it lost leadership").isPositive();
                assertThat(lostAt.get()).as("lost before the new leader was elected").isLessThan(newLeader);
                assertThat(leadership.isValid()).isFalse();
            } finally {
                cell.resume(master);
            }
        }
    }
}
