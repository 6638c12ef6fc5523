package io.warden.cli.bench;

import io.warden.api.CellInfo;
import io.warden.client.WardenClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cell under test, as the workloads need it: fresh clients (each with its own HTTP connection,
 * as each of the peers' clients has its own), and each replica's own view, for the fail-over
 * workload's "who is master" and "is everyone serving". Thread-safe.
 */
public final class BenchTarget implements AutoCloseable {
    private static final long ASK_MILLIS = 1_000;
    private static final java.net.http.HttpClient METRICS_HTTP = java.net.http.HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2)).build();
    private static final com.fasterxml.jackson.databind.ObjectMapper METRICS_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final List<String> endpoints;
    private final Duration sessionTimeout;
    private final WardenClient observer;

    public BenchTarget(List<String> endpoints, Duration sessionTimeout) {
        this.endpoints = List.copyOf(endpoints);
        this.sessionTimeout = sessionTimeout;
        this.observer = newClient();
    }

    public List<String> endpoints() {
        return endpoints;
    }

    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /** A client of its own, as one application process would have. */
    public WardenClient newClient() {
        return WardenClient.builder().endpoints(endpoints.toArray(String[]::new)).build();
    }

    /** The endpoint index of the replica that says it is master, or -1. Never blocks past a second a replica. */
    public int masterIndex() {
        for (int i = 0; i < endpoints.size(); i++) {
            CellInfo.View v = view(i);
            if (v != null && "master".equals(v.role())) return i;
        }
        return -1;
    }

    /** Replica {@code i} answers and knows a master. */
    public boolean serving(int i) {
        CellInfo.View v = view(i);
        return v != null && v.master() != null && !v.recovering();
    }

    /** Every replica answers and knows a master, and one of them is it. */
    public boolean healthy() {
        for (int i = 0; i < endpoints.size(); i++) if (!serving(i)) return false;
        return masterIndex() >= 0;
    }

    public boolean awaitHealthy(Duration within) {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            if (healthy()) return true;
            Pause.millis(200);
        }
        return false;
    }

    /**
     * HTTP requests every replica has answered so far (the {@code warden.http.responses.*} meters of
     * {@code GET /metrics}), or -1 if a replica's could not be read: requests per lock cycle, the
     * peers' "server messages per cycle".
     */
    public long serverRequestCount() {
        long total = 0;
        for (String e : endpoints) {
            try {
                java.net.http.HttpResponse<byte[]> r = METRICS_HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(e + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) return -1;
                var meters = METRICS_JSON.readTree(r.body()).path("meters");
                for (var it = meters.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    if (name.startsWith("warden.http.responses.")) total += meters.get(name).path("count").asLong();
                }
            } catch (java.io.IOException ex) {
                return -1;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return total;
    }

    private CellInfo.View view(int i) {
        try {
            return observer.cellAsync(URI.create(endpoints.get(i))).get(ASK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        observer.close();
    }
}
