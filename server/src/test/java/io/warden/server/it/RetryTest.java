package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.it.ReplicaClient.Reply;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A retried write, even one retried at a new master after a crash, is applied once. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RetryTest {
    private static final long CLIENT = 4_242;

    @RegisterExtension
    final LocalCells cells = new LocalCells();

    /**
     * Rule (docs/paxos.md "Applying"): a command whose (clientId, sequence) was applied before is
     * not applied again; its first outcome (the same revision) is returned. The exactly-once
     * table is replicated state, so a new master knows it too: the retry gets the same revision
     * and the register's revision does not advance twice.
     */
    @Test
    void retryAtTheNewMasterAfterAKillIsADuplicateWithTheSameRevision() throws Exception {
        LocalCell cell = cells.start("retry", 3, LocalCell.Timings.fast());
        int master = cell.awaitMaster(Duration.ofSeconds(60));
        Reply first = cell.put(master, "counter", "one", CLIENT, 1);
        assertThat(first.status()).as("first attempt %s", first).isEqualTo(200);
        long revision = first.number("revision");

        // A retry at the same master, as after a lost answer.
        Reply again = cell.put(master, "counter", "one", CLIENT, 1);
        assertThat(again.status()).as("retry at the same master %s", again).isEqualTo(200);
        assertThat(again.number("revision")).as("the retry's revision: %s", again).isEqualTo(revision);

        cell.kill9(master);
        int next = cell.awaitMaster(Duration.ofSeconds(20));
        Reply retry = cell.put(next, "counter", "one", CLIENT, 1);
        assertThat(retry.status()).as("retry at the new master %s", retry).isEqualTo(200);
        assertThat(retry.number("revision")).as("the retry's revision at the new master: %s", retry).isEqualTo(revision);

        Reply read = cell.get(next, "counter");
        assertThat(read.status()).as("GET %s", read).isEqualTo(200);
        assertThat(read.number("revision")).as("the register's revision did not advance").isEqualTo(revision);
        assertThat(read.text("value")).isEqualTo("one");

        // The next request from the same client is a new command, and it is applied, once.
        Reply second = cell.put(next, "counter", "two", CLIENT, 2);
        assertThat(second.status()).as("next request %s", second).isEqualTo(200);
        assertThat(second.number("revision")).isGreaterThan(revision);
        assertThat(second.body().path("previous").path("revision").asLong()).as("it overwrote the first write: %s", second)
            .isEqualTo(revision);

        cell.note("exactly-once held: revision " + revision + " for all three attempts");
    }

}
