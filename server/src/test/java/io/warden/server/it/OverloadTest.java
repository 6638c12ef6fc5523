package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Chubby overload lesson on a real cell (docs/security.md, "Overload"): a flood of new sessions
 * and acquires, far past small configured bounds, is refused with 429 (the cell's quotas) and 503
 * {@code overloaded} (this replica's load limits), each with Retry-After and a problem body, never
 * a 500 or a hang; meanwhile sessions that were healthy before the flood keep renewing and keep
 * their locks; and once the flood stops the cell serves new work again, under the same master.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OverloadTest {
    /** Small bounds, so that a bounded flood from one test JVM goes far past them. */
    private static final Map<String, Long> LIMITS = Map.of(
        "maxSessions", 40L, "maxWaitersPerLock", 4L,
        "maxQueuedRequests", 16L, "maxPendingWrites", 8L, "maxHeldRequests", 16L, "maxEventStreams", 4L);
    private static final int HEALTHY = 4;
    /** Short enough that a few missed KeepAlives expire a session; long enough for a busy CI machine. */
    private static final long HEALTHY_TIMEOUT_MILLIS = 6_000;
    private static final long KEEPALIVE_EVERY_MILLIS = 500;
    private static final int IN_FLIGHT = 48;
    private static final int MAX_REQUESTS = 1_500;
    private static final Duration FLOOD_FOR = Duration.ofSeconds(8);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    final LocalCells cells = new LocalCells();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aFloodOfNewSessionsAndAcquiresIsShedWhileHealthySessionsStayAlive() throws Exception {
        LocalCell cell = cells.start("overload", 3, LocalCell.Timings.standard(), LIMITS);
        int master = cell.awaitMaster(Duration.ofSeconds(60));
        String url = cell.url(master);

        List<Long> healthy = new ArrayList<>();
        KeepAlives keepAlives = new KeepAlives(url);
        for (int i = 0; i < HEALTHY; i++) {
            long s = createSession(url, HEALTHY_TIMEOUT_MILLIS, "healthy-" + i);
            healthy.add(s);
            keepAlives.keep(s); // at once: setting up the others may take a while on a busy machine
            Answer grant = send(url, "POST", "/v1/locks/acquire", acquire(s, "/healthy/" + i, 0)).join();
            assertThat(grant.status()).as("healthy session %d takes its lock: %s", s, grant).isEqualTo(200);
        }

        Flood flood = new Flood(url);
        flood.run();
        cell.note("flood: " + flood.sent.get() + " requests, answers " + flood.statuses + ", problems " + flood.problems);
        keepAlives.stopAfterOneMoreRound();
        cell.note("KeepAlives: " + keepAlives.answered.get() + " answered, slowest " + keepAlives.slowestMillis.get() + " ms");

        assertThat(flood.violations).as("every refusal is a 429/503 with Retry-After and a problem body; no 5xx else, no hang")
            .isEmpty();
        assertThat(flood.problems.getOrDefault("overloaded", new AtomicLong()).get()).as("503 overloaded answers").isPositive();
        assertThat(keepAlives.failures).as("every KeepAlive of a healthy session was answered 200").isEmpty();
        assertThat(keepAlives.answered.get()).as("KeepAlives kept going through the flood").isGreaterThanOrEqualTo((long) HEALTHY * 4);
        for (int i = 0; i < HEALTHY; i++) {
            long s = healthy.get(i);
            Answer view = send(url, "GET", "/v1/sessions/" + s, null).join();
            assertThat(view.status()).as("healthy session %d is alive: %s", s, view).isEqualTo(200);
            Answer lock = send(url, "GET", "/v1/locks/healthy/" + i, null).join();
            assertThat(lock.body().get("holders").get(0).get("session").asLong()).as("and still holds its lock").isEqualTo(s);
        }
        JsonNode shed = send(url, "GET", "/metrics", null).join().body().get("counters");
        assertThat(shed.get("warden.shed.maxHeldRequests").get("count").asLong()
            + shed.get("warden.shed.maxQueuedRequests").get("count").asLong()
            + shed.get("warden.shed.maxPendingWrites").get("count").asLong()).as("shed requests counted on /metrics").isPositive();

        // After the flood: the same master serves new sessions (once the flood's have expired) and acquires.
        assertThat(cell.awaitMaster(Duration.ofSeconds(5))).as("the flood cost no election").isEqualTo(master);
        long after = createSessionWithin(url, Duration.ofSeconds(15));
        assertThat(send(url, "POST", "/v1/locks/acquire", acquire(after, "/after", 0)).join().status()).isEqualTo(200);
    }

    /**
     * KeepAlives of the healthy sessions, each session's from its own thread every
     * {@link #KEEPALIVE_EVERY_MILLIS}, through a client of their own. Any answer but 200 is a failure.
     */
    private static final class KeepAlives {
        private final HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
        private final String url;
        private final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicLong answered = new AtomicLong();
        private final AtomicLong slowestMillis = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        KeepAlives(String url) {
            this.url = url;
        }

        /** Keeps {@code s} alive from now on, from a thread of its own. */
        void keep(long s) {
            Thread t = new Thread(() -> run(s), "keepalive-" + s);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }

        void stopAfterOneMoreRound() throws InterruptedException {
            Thread.sleep(KEEPALIVE_EVERY_MILLIS * 2);
            running = false;
            for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(10));
        }

        private void run(long s) {
            while (running) {
                long started = System.nanoTime();
                try {
                    HttpResponse<String> r = own.send(HttpRequest.newBuilder(URI.create(url + "/v1/sessions/" + s + "/keepalive"))
                        .timeout(Duration.ofMillis(HEALTHY_TIMEOUT_MILLIS)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) answered.incrementAndGet(); else failures.add(s + ": " + r.statusCode() + " " + r.body());
                } catch (IOException e) {
                    failures.add(s + ": no answer: " + e);
                } catch (InterruptedException e) {
                    return;
                }
                slowestMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), Math::max);
                LocalCell.sleep(KEEPALIVE_EVERY_MILLIS);
            }
        }
    }

    /**
     * New sessions (1 s timeouts, never renewed) and acquires of a few hot locks by them (each
     * waiting up to 1.5 s), {@link #IN_FLIGHT} at a time, until {@link #MAX_REQUESTS} or
     * {@link #FLOOD_FOR}, whichever comes first.
     */
    private final class Flood {
        private final String url;
        private final Semaphore room = new Semaphore(IN_FLIGHT);
        private final Queue<Long> sessions = new ConcurrentLinkedQueue<>();
        final AtomicLong sent = new AtomicLong();
        final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> problems = new ConcurrentHashMap<>();
        final Queue<String> violations = new ConcurrentLinkedQueue<>();

        Flood(String url) {
            this.url = url;
        }

        void run() throws InterruptedException {
            long deadline = System.nanoTime() + FLOOD_FOR.toNanos();
            for (int n = 0; n < MAX_REQUESTS && System.nanoTime() < deadline; n++) {
                if (!room.tryAcquire(1, TimeUnit.SECONDS)) continue;
                Long s = n % 2 == 1 ? sessions.poll() : null;
                String path = s == null ? "/v1/sessions" : "/v1/locks/acquire";
                String body = s == null ? "{\"timeoutMillis\": 1000, \"client\": \"flood\"}" : acquire(s, "/hot/" + (n % 3), 1_500);
                sent.incrementAndGet();
                send(url, "POST", path, body).whenComplete((a, e) -> {
                    room.release();
                    if (a != null) record(a);
                });
            }
            assertThat(room.tryAcquire(IN_FLIGHT, REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS))
                .as("every flood request was answered").isTrue();
        }

        private void record(Answer a) {
            statuses.computeIfAbsent(a.status(), k -> new AtomicLong()).incrementAndGet();
            if (a.status() == 201) sessions.add(a.body().get("session").asLong());
            if (a.status() == 0) violations.add("no answer: " + a.error());
            if (a.status() >= 500 && a.status() != 503) violations.add(a.toString());
            if (a.status() == 429 || a.status() == 503) {
                String type = a.problemType();
                problems.computeIfAbsent(type, k -> new AtomicLong()).incrementAndGet();
                if (a.retryAfter() == null) violations.add("no Retry-After: " + a);
                if (!"application/problem+json".equals(a.contentType())) violations.add("not a problem: " + a);
            }
        }
    }

    // ---------------------------------------------------------------- HTTP

    record Answer(int status, JsonNode body, String contentType, String retryAfter, String error) {
        String problemType() {
            return body == null ? "?" : body.path("type").asText("?").replace("urn:warden:problem:", "");
        }
    }

    private CompletableFuture<Answer> send(String url, String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(REQUEST_TIMEOUT)
            .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
            if (e != null) return new Answer(0, null, null, null, e.toString());
            JsonNode body = null;
            try {
                body = r.body().isEmpty() ? null : ReplicaClient.JSON.readTree(r.body());
            } catch (IOException notJson) {
                // left null: the assertions name the status
            }
            return new Answer(r.statusCode(), body, r.headers().firstValue("Content-Type").orElse(null),
                r.headers().firstValue("Retry-After").orElse(null), null);
        });
    }

    private long createSession(String url, long timeoutMillis, String client) {
        Answer a = send(url, "POST", "/v1/sessions", "{\"timeoutMillis\": " + timeoutMillis + ", \"client\": \"" + client + "\"}").join();
        assertThat(a.status()).as("create a session: %s", a).isEqualTo(201);
        return a.body().get("session").asLong();
    }

    /** Creates a session, retrying (as a client would, after Retry-After) while the cell is still full. */
    private long createSessionWithin(String url, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Answer a = send(url, "POST", "/v1/sessions", "{\"timeoutMillis\": 10000, \"client\": \"after\"}").join();
            if (a.status() == 201) return a.body().get("session").asLong();
            assertThat(a.status()).as("only a full cell delays a new session: %s", a).isIn(429, 503);
            assertThat(System.nanoTime()).as("a new session within %s of the flood's end: %s", within, a).isLessThan(deadline);
            LocalCell.sleep(1_000);
        }
    }

    private static String acquire(long session, String lock, long waitMillis) {
        return "{\"lock\": \"" + lock + "\", \"session\": " + session + ", \"mode\": \"exclusive\", \"waitMillis\": " + waitMillis + "}";
    }
}
