package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.it.ReplicaClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A master frozen by SIGSTOP past its lease wakes up deposed and never serves what it remembers. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PauseTest {
    @RegisterExtension
    final LocalCells cells = new LocalCells();

    /**
     * Rule (Chubby §2.2, docs/paxos.md "The master lease"): a master serves reads only while its
     * lease holds on its own clock, and checks that clock before anything else when it wakes up
     * (ReplicaLoop ticks first in each turn). A master paused for 3 leases has been replaced, and
     * the new master has overwritten k; so the old one's first answers after SIGCONT, including
     * to a read that was already waiting in its socket while it was frozen, must be refusals (421
     * or 503), never 200 with the value it held before the pause (a stale, non-linearizable read).
     */
    @Test
    void resumedOldMasterNeverServesAStaleRead() throws Exception {
        LocalCell cell = cells.start("pause", 3, LocalCell.Timings.fast());
        long lease = cell.timings().leaseMillis();
        int old = cell.awaitMaster(Duration.ofSeconds(60));
        assertThat(cell.put(old, "k", "stale").status()).isEqualTo(200);
        Reply before = cell.get(old, "k");
        assertThat(before.text("value")).as("read before the pause: %s", before).isEqualTo("stale");

        cell.pause(old);
        LocalCell.sleep(3 * lease);
        int next = cell.awaitMaster(Duration.ofSeconds(20));
        assertThat(next).isNotEqualTo(old);
        Reply fresh = cell.put(next, "k", "fresh");
        assertThat(fresh.status()).as("write to the new master: %s", fresh).isEqualTo(200);

        // Sent while the old master is frozen: it sits in the socket and is the first thing it sees.
        CompletableFuture<Reply> queued = CompletableFuture.supplyAsync(() -> cell.get(old, "k", Duration.ofSeconds(5)));
        LocalCell.sleep(200);
        cell.resume(old);
        List<Reply> answers = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_000);
        while (System.nanoTime() < until) answers.add(cell.get(old, "k", Duration.ofSeconds(2)));
        answers.add(0, queued.get(10, TimeUnit.SECONDS));
        cell.note(answers.size() + " reads of k at the resumed replica " + old + "; first: " + answers.get(0)
            + "; distinct statuses " + answers.stream().map(Reply::status).distinct().toList());

        for (Reply a : answers) {
            assertThat(a.status() == 200 && "stale".equals(a.text("value")))
                .as("a stale read served by the deposed master after SIGCONT: %s (first answers: %s)", a,
                    answers.subList(0, Math.min(10, answers.size()))).isFalse();
            assertThat(a.status()).as("the resumed old master answered %s", a).isIn(421, 503);
        }

        LocalCell.await(() -> "replica " + old + " says follower:" + cell.views(), Duration.ofSeconds(10), () -> {
            Reply c = cell.cell(old);
            return c.ok() && "follower".equals(c.text("role"));
        });
        Reply read = cell.get(next, "k");
        assertThat(read.text("value")).as("the new master serves the new value: %s", read).isEqualTo("fresh");
    }
}
