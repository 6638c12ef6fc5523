package io.warden.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A plain HTTP client of one replica's REST API, addressed by its base URL. It never throws for
 * a missing answer: a refused connection, a reset or a timeout is a {@link Reply} with status 0,
 * which is what a test of crashes and pauses wants to look at. Safe for any number of threads.
 */
final class ReplicaClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    /**
     * One HTTP answer: {@code status} 0 means no answer at all (refused, reset, or timed out), with
     * {@code error} saying which; {@code body} is the parsed JSON, or null if the body was not JSON.
     */
    record Reply(int status, JsonNode body, String error, java.net.http.HttpHeaders headers) {
        Reply(int status, JsonNode body, String error) {
            this(status, body, error, null);
        }

        /** A response header's first value (null if absent or no answer). */
        String header(String name) {
            return headers == null ? null : headers.firstValue(name).orElse(null);
        }

        boolean ok() {
            return status == 200;
        }

        String text(String field) {
            return body == null || !body.hasNonNull(field) ? null : body.get(field).asText();
        }

        long number(String field) {
            if (body == null || !body.has(field)) throw new AssertionError("no field '" + field + "' in " + this);
            return body.get(field).asLong();
        }

        @Override
        public String toString() {
            return status == 0 ? "no answer (" + error + ")" : status + " " + body;
        }
    }

    private final HttpClient http;
    /** The bearer token every request carries (null: none). */
    private final String token;

    ReplicaClient() {
        this(null, null);
    }

    /** A client that sends {@code token} as its bearer token with every request. */
    ReplicaClient(String token) {
        this(null, token);
    }

    /** A client that speaks https with {@code tls} (trusting the cell's CA, perhaps presenting a certificate). */
    ReplicaClient(javax.net.ssl.SSLContext tls) {
        this(tls, null);
    }

    ReplicaClient(javax.net.ssl.SSLContext tls, String token) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(1_000));
        if (tls != null) b.sslContext(tls);
        http = b.build();
        this.token = token;
    }

    /**
     * Any request with an optional JSON body, as {@code bearer} (null: no Authorization header;
     * this client's own token is not added).
     */
    Reply call(String url, String method, String path, String json, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        if (json != null) b.header("Content-Type", "application/json");
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return sendAs(b, REQUEST_TIMEOUT);
    }

    Reply cell(String url) {
        return send(HttpRequest.newBuilder(URI.create(url + "/v1/cell")).GET(), REQUEST_TIMEOUT);
    }

    Reply health(String url) {
        return send(HttpRequest.newBuilder(URI.create(url + "/health")).GET(), REQUEST_TIMEOUT);
    }

    Reply get(String url, String key, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(url + "/v1/kv/" + key)).GET(), timeout);
    }

    Reply put(String url, String key, String value, Duration timeout) {
        return send(putRequest(url, key, value), timeout);
    }

    /** A write carrying a request id, so that a retry of it is answered with its first outcome. */
    Reply put(String url, String key, String value, long clientId, long seq) {
        return send(putRequest(url, key, value).header("Warden-Client-Id", Long.toString(clientId))
            .header("Warden-Request-Seq", Long.toString(seq)), REQUEST_TIMEOUT);
    }

    /** Any path, answered as text (for the metrics endpoints); throws if there is no answer. */
    HttpResponse<String> getText(String url, String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(REQUEST_TIMEOUT).GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder putRequest(String url, String key, String value) {
        String body = JSON.createObjectNode().put("value", value).toString();
        return HttpRequest.newBuilder(URI.create(url + "/v1/kv/" + key)).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body));
    }

    private Reply send(HttpRequest.Builder request, Duration timeout) {
        if (token != null) request.header("Authorization", "Bearer " + token);
        return sendAs(request, timeout);
    }

    private Reply sendAs(HttpRequest.Builder request, Duration timeout) {
        try {
            HttpResponse<String> r = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = r.body().isEmpty() ? null : JSON.readTree(r.body());
            } catch (IOException e) {
                body = null;
            }
            return new Reply(r.statusCode(), body, null, r.headers());
        } catch (HttpTimeoutException e) {
            return new Reply(0, null, "timed out after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return new Reply(0, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(0, null, "interrupted");
        }
    }
}
