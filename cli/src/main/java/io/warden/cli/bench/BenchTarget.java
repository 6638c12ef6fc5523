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
