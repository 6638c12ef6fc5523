package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.it.ReplicaClient.Reply;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every replica stopped at once, cleanly or by kill -9, and started again: nothing written is lost. */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RestartTest {
    private static final int KEYS = 50;

    @RegisterExtension
    final LocalCells cells = new LocalCells();

    /**
     * Rules: (1) durability: a write is acknowledged only after a majority fsynced it
     * (docs/paxos.md "What is durable when"), so it survives the whole cell stopping, cleanly or
     * not; (2) a restarted cell recovers: each replica waits out any lease it may have granted,
     * then they elect a master whose phase 1 recovers every decided slot; (3) SIGTERM is a clean
     * shutdown (the last fsync completes, files are closed, exit 0 or 143, "stopped cleanly").
     */
    @Test
    void fiftyKeysSurviveACleanStopAndAKill9OfTheWholeCell() throws Exception {
        LocalCell cell = cells.start("restart", 3, LocalCell.Timings.fast());
        int master = cell.awaitMaster(Duration.ofSeconds(60));
        Map<String, Long> revisions = new LinkedHashMap<>();
        for (int n = 0; n < KEYS; n++) {
            Reply r = cell.put(master, "key-" + n, "value-" + n);
            assertThat(r.status()).as("PUT key-%d: %s", n, r).isEqualTo(200);
            revisions.put("key-" + n, r.number("revision"));
        }

        List<Integer> codes = cell.terminateAll(List.of(1, 2, 3));
        for (int i = 1; i <= 3; i++) {
            assertThat(codes.get(i - 1)).as("replica %d's exit code after SIGTERM", i).isIn(0, 143);
            assertThat(cell.logSinceStart(i)).as("replica %d's log", i).contains("replica " + i + " stopped cleanly");
        }
        cell.startAll();
        assertAllReadBack(cell, revisions);

        for (int i = 1; i <= 3; i++) cell.kill9(i);
        cell.startAll();
        assertAllReadBack(cell, revisions);
    }

    private static void assertAllReadBack(LocalCell cell, Map<String, Long> revisions) {
        int master = cell.awaitMaster(Duration.ofSeconds(60));
        for (Map.Entry<String, Long> e : revisions.entrySet()) {
            Reply r = cell.get(master, e.getKey());
            assertThat(r.status()).as("GET %s from master %d: %s", e.getKey(), master, r).isEqualTo(200);
            assertThat(r.text("value")).isEqualTo(e.getKey().replace("key", "value"));
            assertThat(r.number("revision")).as("revision of %s", e.getKey()).isEqualTo(e.getValue());
        }
        cell.note("all " + revisions.size() + " keys read back from master " + master);
    }
}
