package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.it.ReplicaClient.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fresh 3-replica cell of real processes: one master, known to all, and only it serves. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CellStartupTest {
    @RegisterExtension
    final LocalCells cells = new LocalCells();

    /**
     * Rule: a cell elects exactly one master (ballots are unique per replica, docs/paxos.md
     * "Election"), every replica learns who it is, and a non-master refuses client requests with
     * 421 naming the master's address instead of serving them (only the lease holder may).
     */
    @Test
    void electsOneMasterThatEveryReplicaNamesAndOnlyItServes() throws Exception {
        LocalCell cell = cells.start("startup", 3, LocalCell.Timings.fast());
        int master = cell.awaitMaster(Duration.ofSeconds(30));

        // Every replica's view converges on the same master (followers learn it from LeaseRenew).
        LocalCell.await(() -> "every replica names replica " + master + " as master" + cell.views(), Duration.ofSeconds(10), () -> {
            for (int i = 1; i <= 3; i++) {
                Reply c = cell.cell(i);
                if (!c.ok() || !c.body().hasNonNull("master") || c.body().get("master").get("id").asInt() != master) return false;
            }
            return true;
        });
        Set<String> roles = new HashSet<>();
        for (int i = 1; i <= 3; i++) {
            Reply c = cell.cell(i);
            assertThat(c.body().get("master").get("url").asText()).as("replica %d's master URL", i).isEqualTo(cell.url(master));
            assertThat(c.text("role")).as("replica %d's role", i).isEqualTo(i == master ? "master" : "follower");
            assertThat(c.body().get("members")).as("replica %d's members", i).hasSize(3);
            roles.add(c.text("role"));
        }
        assertThat(roles).containsExactlyInAnyOrder("master", "follower");

        // Writes then reads through the master.
        Reply w1 = cell.put(master, "greeting", "hello");
        assertThat(w1.status()).as("first PUT %s", w1).isEqualTo(200);
        assertThat(w1.body().path("previous").isNull() || w1.body().path("previous").isMissingNode())
            .as("no previous value: %s", w1).isTrue();
        Reply w2 = cell.put(master, "greeting", "hello again");
        assertThat(w2.status()).as("second PUT %s", w2).isEqualTo(200);
        assertThat(w2.number("revision")).as("a later write has a later revision").isGreaterThan(w1.number("revision"));
        assertThat(w2.body().get("previous").get("value").asText()).isEqualTo("hello");
        Reply r = cell.get(master, "greeting");
        assertThat(r.status()).as("GET %s", r).isEqualTo(200);
        assertThat(r.text("value")).isEqualTo("hello again");
        assertThat(r.number("revision")).isEqualTo(w2.number("revision"));
        assertThat(cell.get(master, "never-written").status()).as("an absent key").isEqualTo(404);

        // Non-masters refuse both, naming the master.
        for (int i = 1; i <= 3; i++) {
            if (i == master) continue;
            for (Reply refused : new Reply[] {cell.put(i, "greeting", "from a follower"), cell.get(i, "greeting")}) {
                assertThat(refused.status()).as("replica %d answered %s", i, refused).isEqualTo(421);
                assertThat(refused.body().get("masterId").asInt()).isEqualTo(master);
                assertThat(refused.text("master")).isEqualTo(cell.url(master));
            }
        }
        assertThat(cell.get(master, "greeting").text("value")).as("the refused write did nothing").isEqualTo("hello again");

        // Health and metrics answer on every replica, master or not.
        for (int i = 1; i <= 3; i++) {
            Reply h = cell.health(i);
            assertThat(h.status()).as("replica %d /health %s", i, h).isEqualTo(200);
            assertThat(h.text("status")).isEqualTo("running");
            assertThat(h.body().get("master").asInt()).isEqualTo(master);
            HttpResponse<String> prom = cell.getText(i, "/metrics/prometheus");
            assertThat(prom.statusCode()).as("replica %d /metrics/prometheus", i).isEqualTo(200);
            assertThat(prom.body()).contains("# TYPE").contains("jvm_");
            HttpResponse<String> metrics = cell.getText(i, "/metrics");
            assertThat(metrics.statusCode()).as("replica %d /metrics", i).isEqualTo(200);
            assertThat(ReplicaClient.JSON.readTree(metrics.body()).has("gauges")).isTrue();
        }
    }
}
