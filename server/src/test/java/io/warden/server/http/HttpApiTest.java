package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.server.WardenServer;
import io.warden.server.config.CellConfig;
import io.warden.server.config.DataDirectory;
import io.warden.server.config.Member;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The REST API against a real replica (a one-member cell, in this JVM, on 127.0.0.1:0): good
 * requests work, and every kind of bad input gets a 4xx problem+json naming the problem, never a
 * 500, and changes nothing.
 */
class HttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static WardenServer server;
    private static String base;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("warden-http");
        int peerPort;
        try (ServerSocket s = new ServerSocket(0)) {
            peerPort = s.getLocalPort();
        }
        CellConfig config = new CellConfig("http-test", List.of(new Member(1, "127.0.0.1", 0, peerPort)), 1,
            dir.resolve("data"), new CellConfig.Timings(2_000, 400, 50, 0.01, 5, 10_000));
        server = new WardenServer(config);
        server.start();
        base = "http://127.0.0.1:" + server.httpAddress().getPort();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (send("PUT", "/v1/kv/ready", "{\"value\":\"1\"}", "application/json").statusCode() != 200) {
            assertThat(System.nanoTime()).as("the one-replica cell serves within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
        if (dir != null) DataDirectory.deleteTree(dir);
    }

    static HttpResponse<String> send(String method, String path, String body, String contentType, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void writesThenReadsLinearizably() throws Exception {
        HttpResponse<String> put = send("PUT", "/v1/kv/orders/primary", "{\"value\":\"host-a\"}", "application/json");
        assertThat(put.statusCode()).isEqualTo(200);
        JsonNode w = JSON.readTree(put.body());
        HttpResponse<String> get = send("GET", "/v1/kv/orders/primary", null, null);
        assertThat(get.statusCode()).isEqualTo(200);
        JsonNode r = JSON.readTree(get.body());
        assertThat(r.get("value").asText()).isEqualTo("host-a");
        assertThat(r.get("revision").asLong()).isEqualTo(w.get("revision").asLong());
    }

    @Test
    void aRetryWithTheSameRequestIdIsAppliedOnce() throws Exception {
        String[] id = {"Warden-Client-Id", "4242", "Warden-Request-Seq", "1"};
        JsonNode first = JSON.readTree(send("PUT", "/v1/kv/retried", "{\"value\":\"v1\"}", "application/json", id).body());
        JsonNode again = JSON.readTree(send("PUT", "/v1/kv/retried", "{\"value\":\"v1\"}", "application/json", id).body());
        assertThat(again.get("revision").asLong()).isEqualTo(first.get("revision").asLong());
        JsonNode now = JSON.readTree(send("GET", "/v1/kv/retried", null, null).body());
        assertThat(now.get("revision").asLong()).isEqualTo(first.get("revision").asLong());
    }

    @ParameterizedTest(name = "{0} {1} -> {4} {5}")
    @CsvSource(delimiter = '|', value = {
        "PUT | /v1/kv/k1          | {\"value\":                 | application/json | 400 | malformed-json",
        "PUT | /v1/kv/k1          | {\"value\":\"x\",\"ttl\":3} | application/json | 400 | unknown-field",
        "PUT | /v1/kv/k1          | {\"value\":\"x\"} trailing  | application/json | 400 | malformed-json",
        "PUT | /v1/kv/k1          | {}                          | application/json | 400 | missing-field",
        "PUT | /v1/kv/k1          | [1,2]                       | application/json | 400 | malformed-json",
        "PUT | /v1/kv/-starts-bad | {\"value\":\"x\"}           | application/json | 400 | invalid-key",
        "PUT | /v1/kv/k1          | value=x                     | text/plain       | 415 | unsupported-media-type",
        "POST | /v1/kv/k1         | {\"value\":\"x\"}           | application/json | 405 | method-not-allowed",
        "GET | /v1/nothing-here   |                             |                  | 404 | not-found",
        "GET | /v1/kv/never-set   |                             |                  | 404 | no-such-key",
    })
    void badInputGetsAProblemAndChangesNothing(String method, String path, String body, String type, int status,
                                                String problem) throws Exception {
        long before = appliedSlot();
        HttpResponse<String> r = send(method, path, body, type);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("type").asText()).isEqualTo("urn:warden:problem:" + problem);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("detail").asText()).isNotBlank();
        assertThat(appliedSlot()).as("nothing applied").isEqualTo(before);
    }

    /** What Jetty refuses before the API sees it (a bad escape in the path) is problem+json too. */
    @Test
    void malformedRequestLineGetsAProblemToo() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.httpAddress().getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET /v1/kv/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 400").contains("application/problem+json").contains("\"status\":400");
        }
    }

    @Test
    void badRequestIdHeadersAreRefused() throws Exception {
        HttpResponse<String> r = send("PUT", "/v1/kv/k2", "{\"value\":\"x\"}", "application/json", "Warden-Client-Id", "abc",
            "Warden-Request-Seq", "1");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Warden-Client-Id");
        r = send("PUT", "/v1/kv/k2", "{\"value\":\"x\"}", "application/json", "Warden-Client-Id", "5");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Warden-Request-Seq");
        // A sequence without a client id is refused as on every other write (the register API once ignored it).
        r = send("PUT", "/v1/kv/k2", "{\"value\":\"x\"}", "application/json", "Warden-Request-Seq", "1");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Warden-Client-Id");
    }

    @Test
    void oversizeValueIsRefused() throws Exception {
        String big = "x".repeat(KvResource.MAX_VALUE_BYTES + 1);
        HttpResponse<String> r = send("PUT", "/v1/kv/big", "{\"value\":\"" + big + "\"}", "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("type").asText()).endsWith("value-too-large");
    }

    @Test
    void cellHealthAndMetricsAnswer() throws Exception {
        JsonNode cell = JSON.readTree(send("GET", "/v1/cell", null, null).body());
        assertThat(cell.get("role").asText()).isEqualTo("master");
        assertThat(cell.get("master").get("id").asInt()).isEqualTo(1);
        assertThat(cell.get("leaseRemainingMillis").asLong()).isPositive();
        assertThat(cell.get("members")).hasSize(1);
        assertThat(cell.get("limits").get("maxSessions").asInt()).isPositive();
        assertThat(cell.get("limits").get("defaultLockDelayMillis").asLong()).isEqualTo(10_000);
        assertThat(JSON.readTree(send("GET", "/health", null, null).body()).get("masterKnown").asBoolean()).isTrue();
        JsonNode metrics = JSON.readTree(send("GET", "/metrics", null, null).body());
        assertThat(metrics.get("timers").has("warden.paxos.decide.latency")).isTrue();
        assertThat(metrics.get("timers").has("warden.storage.fsync.latency")).isTrue();
        String prom = send("GET", "/metrics/prometheus", null, null).body();
        assertThat(prom).contains("warden_paxos_proposals").contains("warden_paxos_lease_renewals");
    }

    private static long appliedSlot() throws Exception {
        return JSON.readTree(send("GET", "/v1/cell", null, null).body()).get("appliedSlot").asLong();
    }
}
