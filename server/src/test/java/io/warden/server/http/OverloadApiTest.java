package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.config.LoadLimits;
import io.warden.server.http.OneReplicaCell.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side of the load limits (docs/security.md, "Overload"): requests held at once and event
 * streams are bounded; past a bound the answer is 503 {@code overloaded} with Retry-After, naming
 * the limit, counted on /metrics; new work is refused first and KeepAlives never.
 */
class OverloadApiTest {

    @Test
    void heldRequestsShedNewWorkFirstAndNeverKeepAlives() throws Exception {
        try (OneReplicaCell cell = OneReplicaCell.start(new LoadLimits(100, 100, 4, 1, 100))) {
            assertThat(cell.get("/v1/cell").body().get("limits").get("maxHeldRequests").asInt()).isEqualTo(4);
            long holder = cell.session("holder");
            long w1 = cell.session("w1");
            long w2 = cell.session("w2");
            long w3 = cell.session("w3");
            OneReplicaCell.token(cell.acquire(holder, "/o", "exclusive", 0));
            // Two acquires wait (held until granted): half of maxHeldRequests, the most new work may hold.
            CompletableFuture<Reply> first = cell.postAsync("/v1/locks/acquire", OneReplicaCell.acquireBody(w1, "/o", "exclusive", 20_000, 0));
            cell.awaitWaiting(w1, "/o");
            CompletableFuture<Reply> second = cell.postAsync("/v1/locks/acquire", OneReplicaCell.acquireBody(w2, "/o", "exclusive", 20_000, 0));
            cell.awaitWaiting(w2, "/o");

            assertOverloaded(cell.acquire(w3, "/o", "exclusive", 0), "maxHeldRequests");
            assertOverloaded(cell.post("/v1/sessions", "{}"), "maxHeldRequests");
            long next = cell.lastEventIndex() + 1;
            assertOverloaded(cell.get("/v1/events?from=" + next + "&waitMillis=1000"), "maxHeldRequests"); // a long wait is new work
            // Work on what exists still passes: a KeepAlive, a read, the release that frees a waiter.
            assertThat(cell.post("/v1/sessions/" + holder + "/keepalive", null).status()).isEqualTo(200);
            assertThat(cell.get("/v1/locks/o").status()).isEqualTo(200);
            assertThat(cell.release(holder, "/o").status()).isEqualTo(200);
            OneReplicaCell.token(first.get(10, TimeUnit.SECONDS));
            assertThat(cell.release(w1, "/o").status()).isEqualTo(200);
            OneReplicaCell.token(second.get(10, TimeUnit.SECONDS));

            // Nothing held any more: new work is admitted again.
            assertThat(cell.post("/v1/sessions", "{}").status()).isEqualTo(201);
            assertThat(shed(cell, "maxHeldRequests")).isEqualTo(3);
        }
    }

    @Test
    void eventStreamsAreBounded() throws Exception {
        try (OneReplicaCell cell = OneReplicaCell.start(new LoadLimits(100, 100, 100, 1, 100))) {
            long from = cell.lastEventIndex() + 1;
            HttpResponse<Stream<String>> open = cell.client().send(cell.request("GET", "/v1/events?from=" + from, null,
                Duration.ofSeconds(30), "Accept", "text/event-stream"), HttpResponse.BodyHandlers.ofLines());
            assertThat(open.statusCode()).isEqualTo(200);
            try {
                assertOverloaded(cell.send("GET", "/v1/events?from=" + from, null, "Accept", "text/event-stream"), "maxEventStreams");
                // A JSON long-poll is not a stream.
                assertThat(cell.get("/v1/events?from=" + from + "&waitMillis=0").status()).isEqualTo(200);
                assertThat(shed(cell, "maxEventStreams")).isEqualTo(1);
            } finally {
                open.body().close();
            }
        }
    }

    private static void assertOverloaded(Reply r, String limit) {
        assertThat(r.status()).as(r.text()).isEqualTo(503);
        assertThat(r.problem()).isEqualTo("overloaded");
        assertThat(r.body().get("limit").asText()).isEqualTo(limit);
        assertThat(r.raw().headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("1");
    }

    /** How many requests /metrics counts as shed under {@code limit}. */
    private static long shed(OneReplicaCell cell, String limit) {
        return cell.get("/metrics").body().get("counters").get("warden.shed." + limit).get("count").asLong();
    }
}
