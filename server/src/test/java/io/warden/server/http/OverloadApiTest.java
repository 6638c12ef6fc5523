package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.client.Session;
import io.warden.client.WardenClient;
import io.warden.server.config.LoadLimits;
import io.warden.server.http.OneReplicaCell.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
            awaitQueued(cell, w1, "/o", first, 1);
            CompletableFuture<Reply> second = cell.postAsync("/v1/locks/acquire", OneReplicaCell.acquireBody(w2, "/o", "exclusive", 20_000, 0));
            awaitQueued(cell, w2, "/o", second, 2);

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

    /**
     * The client library, refused with 503 overloaded, waits out Retry-After (1 s) before it tries
     * again, rather than its quick election back-off: the room is freed right after the first
     * refusal, so a retry that did not wait would succeed well within a second.
     */
    @Test
    void theClientLibraryWaitsOutRetryAfter() throws Exception {
        try (OneReplicaCell cell = OneReplicaCell.start(new LoadLimits(100, 100, 2, 10, 100));
             WardenClient client = WardenClient.builder().endpoints(cell.base()).build()) {
            long holder = cell.session("holder");
            long waiter = cell.session("waiter");
            OneReplicaCell.token(cell.acquire(holder, "/r", "exclusive", 0));
            CompletableFuture<Reply> waiting = cell.postAsync("/v1/locks/acquire", OneReplicaCell.acquireBody(waiter, "/r", "exclusive", 20_000, 0));
            awaitQueued(cell, waiter, "/r", waiting, 1); // one held request: new work (half of 2) is refused now
            CompletableFuture<Void> freed = CompletableFuture.runAsync(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (shed(cell, "maxHeldRequests") == 0 && System.nanoTime() < deadline) LockSupport.parkNanos(5_000_000);
                assertThat(cell.release(holder, "/r").status()).isEqualTo(200); // the waiter is granted: nothing held
            });
            long started = System.nanoTime();
            try (Session session = client.newSession(Duration.ofSeconds(10))) {
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertThat(session.id()).isPositive();
                assertThat(shed(cell, "maxHeldRequests")).as("the first attempt was refused").isEqualTo(1);
                assertThat(tookMillis).as("the retry came after Retry-After").isGreaterThanOrEqualTo(1_000);
            }
            freed.get(10, TimeUnit.SECONDS);
            OneReplicaCell.token(waiting.get(10, TimeUnit.SECONDS));
        }
    }

    /** Past maxConnections new connections wait (unaccepted); those open go on being served. */
    @Test
    void connectionsAreBounded() throws Exception {
        List<Socket> open = new ArrayList<>();
        try (OneReplicaCell cell = OneReplicaCell.start(new LoadLimits(100, 100, 100, 10, 3))) {
            // The fixture's own client may keep a connection open too: open more until one waits.
            Socket waiting = null;
            while (waiting == null && open.size() <= 3) {
                Socket s = new Socket("127.0.0.1", cell.port());
                s.setSoTimeout(1_000);
                s.getOutputStream().write(HEALTH);
                try {
                    assertThat(statusLine(s)).isEqualTo("HTTP/1.1 200 OK");
                    open.add(s);
                } catch (SocketTimeoutException e) {
                    waiting = s;
                    open.add(s);
                }
            }
            assertThat(waiting).as("a connection beyond maxConnections (3) waits").isNotNull();
            assertThat(open.size() - 1).as("connections served before one waited").isBetween(1, 3);
            Socket served = open.get(0);
            served.setSoTimeout(10_000);
            assertThat(health(served)).as("an open connection is still served").isEqualTo("HTTP/1.1 200 OK");
            served.close();
            waiting.setSoTimeout(10_000);
            assertThat(statusLine(waiting)).as("the waiting one is served once another closes").isEqualTo("HTTP/1.1 200 OK");
        } finally {
            for (Socket s : open) s.close();
        }
    }

    private static final byte[] HEALTH = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Sends GET /health on an open connection and reads the whole answer; returns its status line. */
    private static String health(Socket s) throws IOException {
        s.getOutputStream().write(HEALTH);
        return statusLine(s);
    }

    private static String statusLine(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed after " + head);
            head.append((char) b);
        }
        int length = Integer.parseInt(head.toString().replaceAll("(?is).*content-length:\\s*(\\d+).*", "$1"));
        in.readNBytes(length);
        return head.substring(0, head.indexOf("\r\n"));
    }

    /**
     * Waits (at most 10 s) until {@code session} queues for {@code lock}, failing at once if its
     * acquire was answered. It first waits, on /metrics (never held), until {@code held} requests
     * are held: a lock view polled before the acquire arrived would hold room the acquire needs.
     */
    private static void awaitQueued(OneReplicaCell cell, long session, String lock, CompletableFuture<Reply> acquire, int held)
        throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cell.get("/metrics").body().get("gauges").get("warden.load.maxHeldRequests").get("value").asInt() < held) {
            assertThat(acquire).as("the acquire of session %d waits", session).isNotDone();
            assertThat(System.nanoTime()).as("session %d's acquire is held within 10 s", session).isLessThan(deadline);
            Thread.sleep(10);
        }
        while (true) {
            assertThat(acquire).as("the acquire of session %d waits", session).isNotDone();
            Reply view = cell.get("/v1/locks" + lock);
            assertThat(view.status()).as(view.text()).isEqualTo(200);
            for (var w : view.body().get("waiters")) if (w.get("session").asLong() == session) return;
            assertThat(System.nanoTime()).as("session %d queues within 10 s", session).isLessThan(deadline);
            Thread.sleep(10);
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
