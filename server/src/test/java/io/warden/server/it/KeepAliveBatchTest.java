package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chubby §2.8 keeps one KeepAlive per client, not per session: the library renews all of a
 * client's sessions together. Many sessions then live on a handful of requests a second, and a
 * session the cell ended is still told apart from the rest.
 */
@Timeout(120)
class KeepAliveBatchTest {
    private static final int SESSIONS = 400;

    @RegisterExtension
    final LocalCells cells = new LocalCells();

    @Test
    void oneClientsSessionsLiveOnFewKeepAlivesAndAnEndedOneExpiresAlone() throws Exception {
        LocalCell cell = cells.start("keepalive-batch", 1, LocalCell.Timings.standard());
        int master = cell.awaitMaster(Duration.ofSeconds(60));
        try (WardenClient client = WardenClient.builder().endpoints(cell.url(master)).build()) {
            // Opened 32 at a time: the cell remembers 64 outcomes per client for exactly-once retries,
            // so one client keeps fewer than that many writes in flight.
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i += 32) {
                List<CompletableFuture<Session>> opening = new ArrayList<>();
                for (int j = i; j < Math.min(SESSIONS, i + 32); j++) opening.add(client.newSessionAsync(Duration.ofSeconds(2), null));
                for (CompletableFuture<Session> f : opening) sessions.add(f.get());
            }
            long before = keepAliveRequests(cell.url(master));

            // Ended behind the library's back (as an administrator's tool or another process could):
            // the next batch names it gone, and only it expires.
            Session victim = sessions.get(7);
            HttpResponse<String> closed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(cell.url(master) + "/v1/sessions/" + victim.id())).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);

            LocalCell.sleep(8_000); // four session timeouts: each session needed about a dozen renewals
            assertThat(victim.state()).isEqualTo(Session.State.EXPIRED);
            assertThat(sessions.stream().filter(s -> s != victim && s.state() != Session.State.SAFE).count())
                .as("sessions no longer SAFE").isZero();
            long requests = keepAliveRequests(cell.url(master)) - before;
            long renewals = (long) SESSIONS * 8_000 / 667; // one per session every third of its timeout
            assertThat(requests).as("KeepAlive requests for %d renewals", renewals).isPositive().isLessThan(renewals / 3);
        }
    }

    /** Batched KeepAlive requests the replica has answered, from its metrics. */
    private static long keepAliveRequests(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        JsonNode timer = new ObjectMapper().readTree(r.body()).path("timers").path("warden.http.SessionResource.keepAliveAll");
        return timer.path("count").asLong(0);
    }
}
