package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.it.ReplicaClient.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill -9 of the master in a cell with the standard timings (lease 2 s, renew 400 ms): a new master
 * serves within the lease plus 2 s, nothing acknowledged is lost, and the killed replica rejoins.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class FailoverTest {
    private static final LocalCell.Timings TIMINGS = LocalCell.Timings.standard();
    /** The bound asserted on a fail-over: the old master's lease must run out (D(1+ε) at the grantors), then one election. */
    private static final long FAILOVER_BOUND_MILLIS = TIMINGS.leaseMillis() + 2_000;

    @RegisterExtension
    final LocalCells cells = new LocalCells();

    /**
     * Rules: (1) liveness after a crash: once the dead master's lease has expired at its grantors a
     * majority elects a new master (docs/paxos.md "Election"); (2) durability: a write is answered
     * only once a majority has fsynced it, so every acknowledged write survives the crash of any
     * minority and is recovered by the new master's phase 1; (3) a restarted replica rejoins as a
     * follower and catches up on what was decided while it was down (CatchUp / InstallSnapshot).
     */
    @Test
    void threeReplicasSurviveKillingTheMaster() throws Exception {
        LocalCell cell = cells.start("failover3", 3, TIMINGS);
        int master = cell.awaitMaster(Duration.ofSeconds(60));
        Map<String, String> acked = new ConcurrentHashMap<>();
        writeKeys(cell, master, "before", 20, acked);

        int next = killMasterDuringWrites(cell, master, acked);
        assertReadable(cell, next, acked);
        writeKeys(cell, next, "after", 10, acked);

        cell.start(master);
        awaitRejoined(cell, master, next);
        assertReadable(cell, next, acked);
    }

    /**
     * The same rules with 5 replicas and two successive master crashes: 3 of 5 are still a majority,
     * so they still elect a master and serve, and nothing acknowledged by either dead master is lost.
     */
    @Test
    void fiveReplicasSurviveKillingTwoMastersInTurn() throws Exception {
        LocalCell cell = cells.start("failover5", 5, TIMINGS);
        int first = cell.awaitMaster(Duration.ofSeconds(60));
        Map<String, String> acked = new ConcurrentHashMap<>();
        writeKeys(cell, first, "before", 20, acked);

        int second = killMasterDuringWrites(cell, first, acked);
        assertReadable(cell, second, acked);
        writeKeys(cell, second, "middle", 10, acked);

        int third = killMasterDuringWrites(cell, second, acked);
        assertThat(third).isNotIn(first, second);
        assertReadable(cell, third, acked);
        writeKeys(cell, third, "after", 10, acked);

        cell.start(first);
        cell.start(second);
        awaitRejoined(cell, first, third);
        awaitRejoined(cell, second, third);
        assertReadable(cell, third, acked);
    }

    /**
     * Kills {@code master} with -9 while a writer keeps writing to it, then waits for a new master
     * to serve a write; asserts (and prints) the time that took. The writer's acknowledged writes
     * join {@code acked}: every one of them was answered before the kill (a dead process answers nothing).
     */
    private static int killMasterDuringWrites(LocalCell cell, int master, Map<String, String> acked) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int n = 0; !stop.get(); n++) {
                String key = "during-" + master + "-" + n;
                Reply r = cell.put(master, key, "v" + n);
                if (r.ok()) acked.put(key, "v" + n);
                else if (r.status() == 0) return;
            }
        }, "writer-to-" + master);
        writer.start();
        LocalCell.sleep(500);
        long killedAt = System.nanoTime();
        cell.kill9(master);
        stop.set(true);
        int next = cell.awaitMaster(Duration.ofMillis(FAILOVER_BOUND_MILLIS + 10_000));
        long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        writer.join(10_000);
        assertThat(writer.isAlive()).as("the writer stopped").isFalse();
        cell.note(String.format("FAIL-OVER: kill -9 of master %d -> replica %d served a write after %d ms (bound %d ms, lease %d ms)",
            master, next, failoverMillis, FAILOVER_BOUND_MILLIS, TIMINGS.leaseMillis()));
        assertThat(next).isNotEqualTo(master);
        assertThat(failoverMillis).as("fail-over time from kill -9 to a served write, ms").isLessThan(FAILOVER_BOUND_MILLIS);
        return next;
    }

    private static void writeKeys(LocalCell cell, int master, String prefix, int count, Map<String, String> acked) {
        for (int n = 0; n < count; n++) {
            String key = prefix + "-" + n;
            String value = prefix + " value " + n;
            Reply r = cell.put(master, key, value);
            assertThat(r.status()).as("PUT %s to master %d: %s", key, master, r).isEqualTo(200);
            acked.put(key, value);
        }
    }

    private static void assertReadable(LocalCell cell, int master, Map<String, String> acked) {
        assertThat(acked).isNotEmpty();
        for (Map.Entry<String, String> e : acked.entrySet()) {
            Reply r = cell.get(master, e.getKey());
            assertThat(r.status()).as("GET %s from master %d: %s", e.getKey(), master, r).isEqualTo(200);
            assertThat(r.text("value")).as("value of %s", e.getKey()).isEqualTo(e.getValue());
        }
        cell.note(acked.size() + " acknowledged writes all read back from master " + master);
    }

    /** Waits until restarted replica {@code i} is a follower of {@code master} and has applied all it has. */
    private static void awaitRejoined(LocalCell cell, int i, int master) {
        LocalCell.await(() -> "replica " + i + " rejoins as a follower of " + master + " and catches up:" + cell.views(),
            Duration.ofSeconds(30), () -> {
                Reply m = cell.cell(master);
                Reply f = cell.cell(i);
                return m.ok() && f.ok() && "follower".equals(f.text("role")) && f.body().hasNonNull("master")
                    && f.body().get("master").get("id").asInt() == master
                    && f.number("appliedSlot") >= m.number("appliedSlot");
            });
        cell.note("replica " + i + " rejoined: applied through " + cell.cell(i).number("appliedSlot")
            + ", master " + master + " through " + cell.cell(master).number("appliedSlot"));
    }
}
