package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.server.http.OneReplicaCell.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/events}: a long poll answered by the event that arrives after it started, empty
 * pages that say where to resume, filters, 410 resync-required for history that is gone, and the
 * same feed as Server-Sent Events.
 */
class EventApiTest {
    private static OneReplicaCell cell;

    @BeforeAll
    static void start() throws Exception {
        cell = OneReplicaCell.start();
    }

    @AfterAll
    static void stop() {
        if (cell != null) cell.close();
    }

    @Test
    void aLongPollIsAnsweredByAnEventWrittenAfterItStarted() throws Exception {
        long from = cell.lastEventIndex() + 1;
        CompletableFuture<Reply> poll = cell.getAsync("/v1/events?from=" + from + "&prefix=/lp/&waitMillis=20000");
        Thread.sleep(300);
        assertThat(poll).as("nothing matching yet").isNotDone();
        long s = cell.session("poller");
        assertThat(poll).as("a session event does not match the prefix").isNotDone();
        long started = System.nanoTime();
        OneReplicaCell.token(cell.acquire(s, "/lp/x", "exclusive", 0));
        Reply r = poll.get(5, TimeUnit.SECONDS);
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_000);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode events = r.body().get("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("type").asText()).isEqualTo("lock.acquired");
        assertThat(events.get(0).get("lock").asText()).isEqualTo("/lp/x");
        assertThat(events.get(0).get("mode").asText()).isEqualTo("exclusive");
        assertThat(r.asLong("next")).isEqualTo(r.asLong("lastIndex") + 1).isGreaterThan(events.get(0).get("index").asLong());
    }

    @Test
    void aPollThatTimesOutSaysWhereToResume() {
        long last = cell.lastEventIndex();
        long started = System.nanoTime();
        Reply r = cell.get("/v1/events?from=" + (last + 1) + "&prefix=/quiet/&waitMillis=300");
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("events")).isEmpty();
        assertThat(r.asLong("next")).isEqualTo(r.asLong("lastIndex") + 1).isGreaterThan(last);
    }

    @Test
    void filtersSelectLockAndMemberEvents() {
        long from = cell.lastEventIndex() + 1;
        long s = cell.session("filtered");
        OneReplicaCell.token(cell.acquire(s, "/flt/a", "exclusive", 0));
        OneReplicaCell.token(cell.acquire(s, "/other/b", "exclusive", 0));
        cell.post("/v1/groups/join", "{\"group\": \"/flt-group\", \"member\": \"m1\", \"session\": " + s + "}");
        cell.post("/v1/groups/join", "{\"group\": \"/flt-group-2\", \"member\": \"m1\", \"session\": " + s + "}");

        assertThat(types("/v1/events?from=" + from + "&prefix=/flt/&waitMillis=0")).containsExactly("lock.acquired:/flt/a");
        assertThat(types("/v1/events?from=" + from + "&group=/flt-group&waitMillis=0")).containsExactly("member.joined:/flt-group");
        assertThat(types("/v1/events?from=" + from + "&prefix=/flt/&group=/flt-group&waitMillis=0"))
            .containsExactly("lock.acquired:/flt/a", "member.joined:/flt-group");
        List<String> mine = new ArrayList<>();
        for (JsonNode e : cell.get("/v1/events?from=" + from + "&waitMillis=0").body().get("events")) {
            if (e.path("session").asLong() == s) mine.add(e.get("type").asText());
        }
        assertThat(mine).as("no filter: everything").containsExactly("session.created", "lock.acquired", "lock.acquired",
            "member.joined", "member.joined");

        Reply page = cell.get("/v1/events?from=" + from + "&prefix=/flt/&group=/flt-group-2&waitMillis=0&max=1");
        assertThat(page.body().get("events")).hasSize(1);
        assertThat(page.asLong("next")).isEqualTo(page.body().get("events").get(0).get("index").asLong() + 1);
        Reply rest = cell.get("/v1/events?from=" + page.asLong("next") + "&prefix=/flt/&group=/flt-group-2&waitMillis=0");
        assertThat(rest.body().get("events").findValuesAsText("group")).containsExactly("/flt-group-2");
    }

    /** History that is gone is a 410 naming where history starts and ends: never a silent gap. */
    @Test
    void eventsThatAreGoneNeedAResync() {
        Reply r = cell.get("/v1/events?from=0&waitMillis=0");
        assertThat(r.status()).isEqualTo(410);
        assertThat(r.problem()).isEqualTo("resync-required");
        assertThat(r.body().get("firstRetained").asLong()).isEqualTo(1);
        long last = r.body().get("lastIndex").asLong();
        assertThat(last).isPositive();
        Reply beyond = cell.get("/v1/events?from=" + (last + 1000) + "&waitMillis=0");
        assertThat(beyond.status()).as("an index from another history").isEqualTo(410);
    }

    @Test
    void serverSentEventsCarryTheIndexAsTheirId() throws Exception {
        long from = cell.lastEventIndex() + 1;
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> response = cell.client().send(
            cell.request("GET", "/v1/events?from=" + from + "&prefix=/sse/", null, Duration.ofSeconds(30), "Accept", "text/event-stream"),
            HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        Thread reader = new Thread(() -> drain(response.body(), lines), "sse-reader");
        reader.setDaemon(true);
        reader.start();

        long s = cell.session("sse");
        long token = OneReplicaCell.token(cell.acquire(s, "/sse/x", "exclusive", 0));
        assertThat(cell.release(s, "/sse/x").status()).isEqualTo(200);
        List<String> frames = readEvents(lines, 2);
        assertThat(frames.get(0)).contains("event: lock.acquired").contains("\"token\":" + token).containsPattern("id: \\d+");
        assertThat(frames.get(1)).contains("event: lock.released");
        long firstId = Long.parseLong(frames.get(0).replaceAll("(?s).*id: (\\d+).*", "$1"));
        assertThat(firstId).isGreaterThanOrEqualTo(from);
        response.body().close();

        // Reconnecting with Last-Event-ID resumes after it.
        HttpResponse<Stream<String>> again = cell.client().send(
            cell.request("GET", "/v1/events?prefix=/sse/", null, Duration.ofSeconds(30), "Accept", "text/event-stream",
                "Last-Event-ID", String.valueOf(firstId)), HttpResponse.BodyHandlers.ofLines());
        BlockingQueue<String> more = new LinkedBlockingQueue<>();
        Thread second = new Thread(() -> drain(again.body(), more), "sse-reader-2");
        second.setDaemon(true);
        second.start();
        assertThat(readEvents(more, 1).get(0)).contains("event: lock.released");
        again.body().close();

        Reply gone = cell.send("GET", "/v1/events?from=0", null, "Accept", "text/event-stream");
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.problem()).isEqualTo("resync-required");
    }

    /**
     * The event log keeps the newest {@code retainedEvents} (20,000 by default): written past that,
     * the oldest are compacted away and a poll from before them is a 410 naming the first retained.
     * (About 20 s: it writes 20,001 events. A 503 under this load is retried with the same request
     * id, as any client should: exactly-once makes that safe.)
     */
    @Test
    void pollingFromCompactedHistoryNeedsAResync() throws Exception {
        long retained = cell.get("/v1/limits").asLong("retainedEvents");
        long s = cell.session("compactor");
        long from = cell.lastEventIndex() + 1;
        int lanes = 128; // one client id per lane: each has one request in flight, its sequences in order
        long clientBase = 900_000 + System.nanoTime() % 100_000 * 1_000;
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(lanes);
        List<CompletableFuture<Reply>> all = new ArrayList<>();
        for (long i = 0; i <= retained; i++) {
            // On a busy machine this runs past the session's 60 s timeout: keep it alive, as a client would.
            if (i % 2_000 == 0) assertThat(cell.post("/v1/sessions/" + s + "/keepalive", null).status()).isEqualTo(200);
            inFlight.acquire();
            String[] id = {"Warden-Client-Id", String.valueOf(clientBase + i % lanes), "Warden-Request-Seq", String.valueOf(i / lanes + 1)};
            String body = "{\"group\": \"/compact\", \"member\": \"m\", \"session\": " + s + ", \"payload\": \"" + i + "\"}";
            CompletableFuture<Reply> f = joinRetrying(body, id, 5);
            f.whenComplete((r, e) -> inFlight.release());
            all.add(f);
        }
        for (CompletableFuture<Reply> f : all) {
            Reply joined = f.get(60, TimeUnit.SECONDS);
            assertThat(joined.status()).as(joined.text()).isEqualTo(200);
        }
        Reply r = cell.get("/v1/events?from=" + from + "&waitMillis=0");
        assertThat(r.status()).as(r.text()).isEqualTo(410);
        assertThat(r.problem()).isEqualTo("resync-required");
        long first = r.body().get("firstRetained").asLong();
        long last = r.body().get("lastIndex").asLong();
        assertThat(first).isGreaterThan(from);
        assertThat(last - first + 1).isEqualTo(retained);
        Reply resumed = cell.get("/v1/events?from=" + first + "&waitMillis=0&max=5");
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.body().get("events").get(0).get("index").asLong()).isEqualTo(first);
    }

    private static CompletableFuture<Reply> joinRetrying(String body, String[] id, int attempts) {
        return cell.postAsync("/v1/groups/join", body, id).thenCompose(r -> {
            if (r.status() != 503 || attempts <= 1) return CompletableFuture.completedFuture(r);
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS))
                .thenCompose(x -> joinRetrying(body, id, attempts - 1));
        });
    }

    private static void drain(Stream<String> body, BlockingQueue<String> lines) {
        try {
            body.forEach(lines::add);
        } catch (java.io.UncheckedIOException e) {
            // the test closed the stream
        }
    }

    private static List<String> types(String path) {
        Reply r = cell.get(path);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode e : r.body().get("events")) out.add(e.get("type").asText() + ":" + (e.has("lock") ? e.get("lock").asText()
            : e.has("group") ? e.get("group").asText() : "null"));
        return out;
    }

    /** The next {@code n} events (blank-line-terminated frames with an {@code event:} line), skipping comments. */
    private static List<String> readEvents(BlockingQueue<String> lines, int n) throws InterruptedException {
        List<String> frames = new ArrayList<>();
        StringBuilder frame = new StringBuilder();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (frames.size() < n) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(line).as("%d events within 10 s; got %s", n, frames).isNotNull();
            if (!line.isEmpty()) {
                frame.append(line).append('\n');
                continue;
            }
            if (frame.toString().contains("event: ")) frames.add(frame.toString());
            frame.setLength(0);
        }
        return frames;
    }
}
