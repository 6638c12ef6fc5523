package io.warden.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP to the cell: finds the master, follows "not master" answers (421 with the master's URL),
 * backs off through elections (503) and unreachable replicas, and stamps every mutating call with
 * a request id ({@code Warden-Client-Id}, {@code Warden-Request-Seq}) that it keeps across retries.
 * Thread-safe; blocks a caller's thread only inside {@link Http1Client#onCallerThread}, where the
 * exchanges it starts run on that thread.
 */
final class Transport {
    /** A Retry-After beyond this is read as this: the call's own deadline bounds the wait anyway. */
    static final long MAX_RETRY_AFTER_MILLIS = 30_000;
    /** "Not master, try M" answers followed without a back-off, in a row. */
    static final int MAX_REDIRECTS_IN_A_ROW = 3;
    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A request id: the same for every retry of one call. */
    record RequestId(long client, long sequence) {}

    private final List<URI> endpoints;
    private final Http1Client http;
    private final Duration requestTimeout;
    private final RetryPolicy retry;
    private final ScheduledExecutorService timer;
    /** "Bearer ..." sent with every request, or null. */
    private final String authorization;
    private final long clientId = new SecureRandom().nextLong(1L << 40, Long.MAX_VALUE);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger next = new AtomicInteger();
    private volatile URI master;
    /** Requests the server may hold for long (acquire waits, watches), by replica: moved when the master moves. */
    private final java.util.concurrent.ConcurrentHashMap<CompletableFuture<?>, URI> held = new java.util.concurrent.ConcurrentHashMap<>();

    Transport(List<URI> endpoints, Http1Client http, Duration requestTimeout, RetryPolicy retry, ScheduledExecutorService timer,
              String token) {
        if (endpoints.isEmpty()) throw new IllegalArgumentException("at least one endpoint is required");
        this.authorization = token == null ? null : "Bearer " + token;
        this.endpoints = List.copyOf(endpoints);
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.retry = retry;
        this.timer = timer;
    }

    RequestId newRequestId() {
        return new RequestId(clientId, sequence.incrementAndGet());
    }

    URI knownMaster() {
        return master;
    }

    List<URI> endpoints() {
        return endpoints;
    }

    /** One GET to one replica, no retries and no redirects: for per-replica views. */
    <T> CompletableFuture<T> callAt(URI replica, String method, String path, Class<T> type) {
        return http.send(replica.resolve(path), method, headers(null, false), null, requestTimeout).thenApply(r -> {
            if (r.status() / 100 != 2) throw new WardenException(r.status(), "http-" + r.status(), replica + " answered " + r.status());
            try {
                return JSON.readValue(r.body(), type);
            } catch (IOException e) {
                throw new WardenException(r.status(), "bad-response", "unreadable answer from " + replica);
            }
        });
    }

    /**
     * Sends {@code method path} with {@code body} (JSON, or none) and parses the answer into
     * {@code type} ({@code JsonNode} for raw). {@code id} is null for reads. {@code extraWait} is
     * how long the server may legitimately hold the request (an acquire's wait).
     */
    <T> CompletableFuture<T> call(String method, String path, Object body, Class<T> type, RequestId id, Duration extraWait) {
        return call(method, path, body, type, id, extraWait, retry.deadline());
    }

    /** As above, retrying for at most {@code retryFor} (plus {@code extraWait}) instead of the policy's deadline. */
    <T> CompletableFuture<T> call(String method, String path, Object body, Class<T> type, RequestId id, Duration extraWait,
                                  Duration retryFor) {
        CompletableFuture<T> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + retryFor.toNanos() + extraWait.toNanos();
        attempt(method, path, body, type, id, extraWait, deadline, 0, 0, result);
        return result;
    }

    private Map<String, String> headers(RequestId id, boolean json) {
        Map<String, String> h = new LinkedHashMap<>(8);
        h.put("Accept", "application/json");
        if (authorization != null) h.put("Authorization", authorization);
        if (id != null) {
            h.put("Warden-Client-Id", Long.toString(id.client()));
            h.put("Warden-Request-Seq", Long.toString(id.sequence()));
        }
        if (json) h.put("Content-Type", "application/json");
        return h;
    }

    /**
     * One try of a call. {@code attempt} counts every try (it sets the back-off); {@code redirects}
     * counts the "not master, try M" answers followed at once since the last back-off.
     */
    private <T> void attempt(String method, String path, Object body, Class<T> type, RequestId id, Duration extraWait,
                             long deadline, int attempt, int redirects, CompletableFuture<T> result) {
        if (result.isDone()) return; // cancelled (a caller gave up waiting): no more attempts
        URI base = master != null ? master : endpoints.get(Math.floorMod(next.get(), endpoints.size()));
        Http1Client.Exchange exchange;
        try {
            URI uri = base.resolve(path);
            byte[] json = body == null ? null : JSON.writeValueAsBytes(body);
            exchange = http.prepare(uri, method, headers(id, json != null), json, requestTimeout.plus(extraWait));
        } catch (IOException | IllegalArgumentException e) {
            result.completeExceptionally(new WardenException(400, "bad-request", "cannot build the request: " + e.getMessage()));
            return;
        }
        if (!extraWait.isZero()) held.put(exchange, base);
        exchange.whenComplete((response, error) -> {
            held.remove(exchange);
            if (error instanceof InterruptedIOException && !(error instanceof SocketTimeoutException)) {
                // The caller's thread, waiting in the exchange, was interrupted: no retry.
                result.completeExceptionally(new WardenException("interrupted while waiting for the cell", error));
                return;
            }
            if (error != null) {
                // Unreachable or timed out: forget the master, try the next replica after a back-off.
                moveOffFrom(base);
                retryLater(method, path, body, type, id, extraWait, deadline, attempt, 0, result,
                    new WardenException("no answer from " + base + ": " + error.getMessage(), error));
                return;
            }
            handle(response, base, method, path, body, type, id, extraWait, deadline, attempt, redirects, result);
        });
        exchange.start();
    }

    private <T> void handle(Http1Client.Response response, URI base, String method, String path, Object body, Class<T> type,
                            RequestId id, Duration extraWait, long deadline, int attempt, int redirects,
                            CompletableFuture<T> result) {
        int status = response.status();
        try {
            if (status >= 200 && status < 300) {
                noteMaster(base);
                byte[] bytes = response.body();
                if (type == Void.class || bytes.length == 0) {
                    result.complete(null);
                } else {
                    result.complete(JSON.readValue(bytes, type));
                }
                return;
            }
            JsonNode problem = parseProblem(response.body());
            String problemType = problem.path("type").asText("urn:warden:problem:http-" + status);
            String shortType = problemType.substring(problemType.lastIndexOf(':') + 1);
            String detail = problem.path("detail").asText("HTTP " + status);
            WardenException e = status == 410 && shortType.equals("resync-required")
                ? new ResyncRequiredException(detail, problem.path("firstRetained").asLong(), problem.path("lastIndex").asLong())
                : new WardenException(status, shortType, detail);
            if (status == 421 && problem.hasNonNull("master")) {
                noteMaster(URI.create(problem.get("master").asText()));
                // Followed at once, but only a few in a row: replicas with stale views could send a
                // call back and forth. Counted since the last back-off, not over the whole call: a
                // fail-over's rounds (a hint naming the dead master, refused, a back-off) had used up
                // a per-call allowance, and the hint naming the new master then waited a back-off.
                if (redirects < MAX_REDIRECTS_IN_A_ROW && System.nanoTime() < deadline) {
                    attempt(method, path, body, type, id, extraWait, deadline, attempt + 1, redirects + 1, result);
                    return;
                }
            }
            if (status == 503 || status == 421) {
                long notBefore = 0;
                if (shortType.equals("overloaded")) {
                    // The master itself is busy: wait out its Retry-After, and come back to it.
                    notBefore = retryAfterMillis(response);
                } else {
                    // A 421 without a hint, or a 503 (this replica knows no master: an election, or it is
                    // cut off from the others while they elected one): ask another replica next, quickly.
                    moveOffFrom(base);
                }
                retryLater(method, path, body, type, id, extraWait, deadline, attempt, notBefore, result, e);
                return;
            }
            result.completeExceptionally(e);
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(new WardenException(status, "bad-response", "unreadable answer from " + base + ": " + e.getMessage()));
        }
    }

    /** {@code base} could not serve: forget it as the master and send the next attempt to the replica after it. */
    private void moveOffFrom(URI base) {
        if (base.equals(master)) master = null;
        int i = endpoints.indexOf(base);
        if (i >= 0) {
            next.set(i + 1);
        } else {
            next.incrementAndGet(); // a master learnt from a hint, not in our list
        }
    }

    /**
     * The master is {@code now}. A request held at another replica (a paused or deposed master
     * answers nothing) is cancelled and sent again, with the same request id, to the new one.
     */
    private void noteMaster(URI now) {
        master = now;
        held.forEach((exchange, at) -> {
            if (!at.equals(now)) exchange.cancel(true);
        });
    }

    private <T> void retryLater(String method, String path, Object body, Class<T> type, RequestId id, Duration extraWait,
                                long deadline, int attempt, long notBeforeMillis, CompletableFuture<T> result,
                                WardenException last) {
        long delay = retry.backoffMillis(attempt, notBeforeMillis, ThreadLocalRandom.current());
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) > deadline) {
            result.completeExceptionally(last);
            return;
        }
        timer.schedule(() -> attempt(method, path, body, type, id, extraWait, deadline, attempt + 1, 0, result), delay, TimeUnit.MILLISECONDS);
    }

    /** Retry-After in seconds (the form Warden sends), as milliseconds; 0 when absent or a date. */
    static long retryAfterMillis(Http1Client.Response response) {
        String v = response.header("Retry-After");
        v = v == null ? "" : v.trim();
        try {
            return Math.min(TimeUnit.SECONDS.toMillis(Math.max(0, Long.parseLong(v))), MAX_RETRY_AFTER_MILLIS);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static JsonNode parseProblem(byte[] body) {
        try {
            return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
