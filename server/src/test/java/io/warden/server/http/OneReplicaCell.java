package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.server.WardenServer;
import io.warden.server.cell.Limits;
import io.warden.server.config.CellConfig;
import io.warden.server.config.DataDirectory;
import io.warden.server.config.LoadLimits;
import io.warden.server.config.Member;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A one-replica cell in this JVM (REST API on 127.0.0.1:0, short lease timings) and a small HTTP
 * client for it. One per test class: {@code @BeforeAll start()}, {@code @AfterAll close()}.
 */
final class OneReplicaCell implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One answer, its body parsed when it is JSON. */
    record Reply(int status, JsonNode body, String text, HttpResponse<String> raw) {
        /** The problem type's last part ("not-acquired"), or null when the body is not a problem. */
        String problem() {
            return body != null && body.has("type") ? body.get("type").asText().replace("urn:warden:problem:", "") : null;
        }

        long asLong(String field) {
            return body.get(field).asLong();
        }
    }

    private final WardenServer server;
    private final Path dir;
    private final String base;

    private OneReplicaCell(WardenServer server, Path dir) {
        this.server = server;
        this.dir = dir;
        this.base = "http://127.0.0.1:" + server.httpAddress().getPort();
    }

    static OneReplicaCell start() throws Exception {
        return start(LoadLimits.defaults());
    }

    /** With this replica's load limits (small ones, for the overload tests). */
    static OneReplicaCell start(LoadLimits loadLimits) throws Exception {
        Path dir = Files.createTempDirectory("warden-http");
        int peerPort;
        try (ServerSocket s = new ServerSocket(0)) {
            peerPort = s.getLocalPort();
        }
        CellConfig config = new CellConfig("http-test", List.of(new Member(1, "127.0.0.1", 0, peerPort)), 1,
            dir.resolve("data"), new CellConfig.Timings(2_000, 400, 50, 0.01, 5, 10_000), Limits.defaults(), loadLimits);
        WardenServer server = new WardenServer(config);
        server.start();
        OneReplicaCell cell = new OneReplicaCell(server, dir);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (cell.get("/v1/limits").status() != 200) {
            assertThat(System.nanoTime()).as("the one-replica cell serves within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        return cell;
    }

    String base() {
        return base;
    }

    int port() {
        return server.httpAddress().getPort();
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    Reply post(String path, String json, String... headers) {
        return send("POST", path, json, headers);
    }

    Reply send(String method, String path, String json, String... headers) {
        try {
            return reply(HTTP.send(request(method, path, json, Duration.ofSeconds(30), headers), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends without waiting for the answer (a waiting acquire, a long poll). */
    CompletableFuture<Reply> postAsync(String path, String json, String... headers) {
        return HTTP.sendAsync(request("POST", path, json, Duration.ofSeconds(60), headers), HttpResponse.BodyHandlers.ofString())
            .thenApply(OneReplicaCell::reply);
    }

    CompletableFuture<Reply> getAsync(String path) {
        return HTTP.sendAsync(request("GET", path, null, Duration.ofSeconds(60)), HttpResponse.BodyHandlers.ofString())
            .thenApply(OneReplicaCell::reply);
    }

    HttpRequest request(String method, String path, String json, Duration timeout, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
            .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (json != null && !typed) b.header("Content-Type", "application/json");
        return b.build();
    }

    HttpClient client() {
        return HTTP;
    }

    static Reply reply(HttpResponse<String> r) {
        JsonNode body = null;
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.contains("json")) {
            try {
                body = JSON.readTree(r.body());
            } catch (IOException e) {
                body = null;
            }
        }
        return new Reply(r.statusCode(), body, r.body(), r);
    }

    // ---- the lock service in a few words ------------------------------------------------------------

    /** A new session with a generous timeout (tests that want expiry ask for it). */
    long session(String client) {
        Reply r = post("/v1/sessions", "{\"timeoutMillis\": 60000, \"client\": \"" + client + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.asLong("session");
    }

    Reply acquire(long session, String lock, String mode, long waitMillis) {
        return post("/v1/locks/acquire", acquireBody(session, lock, mode, waitMillis, -1));
    }

    static String acquireBody(long session, String lock, String mode, long waitMillis, long lockDelayMillis) {
        return "{\"lock\": \"" + lock + "\", \"session\": " + session + ", \"mode\": \"" + mode + "\", \"waitMillis\": " + waitMillis
            + (lockDelayMillis >= 0 ? ", \"lockDelayMillis\": " + lockDelayMillis : "") + "}";
    }

    /** The token of a granted acquire (asserting it was granted). */
    static long token(Reply r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().get("granted").asBoolean()).isTrue();
        return r.body().get("sequencer").get("token").asLong();
    }

    Reply release(long session, String lock) {
        return post("/v1/locks/release", "{\"lock\": \"" + lock + "\", \"session\": " + session + "}");
    }

    JsonNode lock(String name) {
        Reply r = get("/v1/locks" + name);
        return r.status() == 200 ? r.body() : null;
    }

    /** Waits (bounded) until {@code session} is queued for {@code lock}: a test knows its acquire is waiting. */
    void awaitWaiting(long session, String lock) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            JsonNode l = lock(lock);
            if (l != null) for (JsonNode w : l.get("waiters")) if (w.get("session").asLong() == session) return;
            assertThat(System.nanoTime()).as("session " + session + " queues for " + lock + " within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    long lastEventIndex() {
        return get("/v1/locks?prefix=/&max=1").asLong("index");
    }

    @Override
    public void close() {
        server.stop();
        DataDirectory.deleteTree(dir); // a replica's data directory holds a 64 MiB log segment
    }
}
