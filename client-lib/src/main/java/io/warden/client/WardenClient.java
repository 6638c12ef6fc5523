package io.warden.client;

import io.warden.api.CellInfo;
import io.warden.api.Locks;
import io.warden.api.Sequencer;
import io.warden.api.Sessions;
import io.warden.leases.DriftBound;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The entry point: a connection to one cell, built from its replicas' addresses.
 *
 * <p>It finds the master, follows "not master" answers, rides out elections with back-off (see
 * {@link RetryPolicy}), and stamps every mutating call with a request id kept across retries, so a
 * retry after a lost reply never acts twice, even on a new master.
 *
 * <p>Threading: thread-safe; blocking methods block only the caller; background work (KeepAlives,
 * watches, listeners) runs on the client's scheduler. Close it to stop that work; open sessions are
 * closed first (their locks released).
 *
 * <pre>{@code
 * try (WardenClient client = WardenClient.builder().endpoints("http://10.0.0.11:7001", "http://10.0.0.12:7001").build();
 *      Session session = client.newSession(Duration.ofSeconds(12));
 *      Grant grant = session.lock("/orders/primary").acquire()) {
 *     storage.write(record, grant.token());   // the resource rejects any older token
 * }
 * }</pre>
 */
public final class WardenClient implements AutoCloseable {
    final Transport transport;
    /** Every session's KeepAlives, sent together. */
    final KeepAliveChannel keepAlives;
    final ScheduledExecutorService scheduler;
    final DriftBound drift;
    final Duration sessionGrace;
    private final boolean ownsScheduler;
    private final Http1Client http;
    private final List<Session> sessions = new ArrayList<>();

    private WardenClient(Builder b) {
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = b.scheduler != null ? b.scheduler : defaultScheduler();
        this.http = new Http1Client(b.tls == null ? null : b.tls.sslContext(), b.requestTimeout);
        this.transport = new Transport(b.endpoints, http, b.requestTimeout, b.retry, scheduler, b.token);
        this.keepAlives = new KeepAliveChannel(transport);
        this.drift = new DriftBound(b.driftBound);
        this.sessionGrace = b.sessionGrace;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Opens a session (a client lease) with the requested timeout; the cell may clamp it. */
    public Session newSession(Duration timeout) {
        return join(() -> newSessionAsync(timeout, null));
    }

    /** As {@link #newSession(Duration)}, with a label shown beside the session in listings. */
    public Session newSession(Duration timeout, String clientLabel) {
        return join(() -> newSessionAsync(timeout, clientLabel));
    }

    public CompletableFuture<Session> newSessionAsync(Duration timeout, String clientLabel) {
        long sentAt = Session.monotonicNow();
        return transport.call("POST", "/v1/sessions", new Sessions.CreateRequest(timeout.toMillis(), clientLabel),
                Sessions.Created.class, transport.newRequestId(), Duration.ZERO)
            .thenApply(created -> {
                Session s = new Session(this, created.session(), created.timeoutMillis(), created.ttlMillis(), sentAt);
                synchronized (sessions) {
                    sessions.add(s);
                }
                return s;
            });
    }

    /** Asks the cell whether {@code sequencer}'s grant is still in force (Chubby's CheckSequencer). */
    public boolean checkSequencer(Sequencer sequencer) {
        Locks.Checked c = join(() -> transport.call("POST", "/v1/sequencers/check",
            new Locks.CheckRequest(sequencer.lock(), sequencer.mode().wire(), sequencer.session(), sequencer.token()),
            Locks.Checked.class, null, Duration.ZERO));
        return c.valid();
    }

    /** What the cell knows of a lock now (holders, waiters in order, lock-delay left, value); empty if nothing. */
    public java.util.Optional<Locks.View> inspect(String lock) {
        try {
            return java.util.Optional.of(join(() -> transport.call("GET", "/v1/locks" + lock, null, Locks.View.class, null, Duration.ZERO)));
        } catch (WardenException e) {
            if (e.status() == 404) return java.util.Optional.empty();
            throw e;
        }
    }

    /** The replicas this client was built with. */
    public List<URI> endpoints() {
        return transport.endpoints();
    }

    /** One replica's own view of the cell ({@code GET /v1/cell}): no retries, no redirects. */
    public CompletableFuture<CellInfo.View> cellAsync(URI replica) {
        return transport.callAt(replica, "GET", "/v1/cell", CellInfo.View.class);
    }

    /** Locks whose name starts with {@code prefix} (all if null or empty), in name order. */
    public Locks.Listing locks(String prefix) {
        String query = prefix == null || prefix.isEmpty() ? "" : "?prefix=" + java.net.URLEncoder.encode(prefix, java.nio.charset.StandardCharsets.UTF_8);
        return join(() -> transport.call("GET", "/v1/locks" + query, null, Locks.Listing.class, null, Duration.ZERO));
    }

    /** An administrator takes a lock from its holders: they are fenced, and its lock-delay applies. */
    public Locks.Broken breakLock(String lock) {
        return join(() -> transport.call("POST", "/v1/locks/break", new Locks.BreakRequest(lock), Locks.Broken.class,
            transport.newRequestId(), Duration.ZERO));
    }

    /** ACL entries whose path starts with {@code prefix} ("/" or null: all the caller may read). */
    public io.warden.api.Acls.Listing acls(String prefix) {
        return join(() -> transport.call("GET", "/v1/acls" + query("prefix", prefix == null || prefix.isEmpty() ? "/" : prefix), null,
            io.warden.api.Acls.Listing.class, null, Duration.ZERO));
    }

    /** Sets (adds or replaces) one ACL entry; needs {@code admin} on {@code path}. Audited. */
    public io.warden.api.Acls.Changed setAcl(String path, String subject, io.warden.api.Permission permission) {
        return join(() -> transport.call("PUT", "/v1/acls", new io.warden.api.Acls.SetRequest(path, subject, permission.wire()),
            io.warden.api.Acls.Changed.class, transport.newRequestId(), Duration.ZERO));
    }

    /** Removes one ACL entry; needs {@code admin} on {@code path}. Audited. */
    public io.warden.api.Acls.Changed removeAcl(String path, String subject) {
        return join(() -> transport.call("DELETE", "/v1/acls" + query("path", path) + "&subject=" + encode(subject), null,
            io.warden.api.Acls.Changed.class, transport.newRequestId(), Duration.ZERO));
    }

    /** What {@code principal} (null: this client's own) may do on {@code name}, and which entry decided it. */
    public io.warden.api.Acls.Check checkAcl(String name, String principal) {
        String q = query("name", name) + (principal == null ? "" : "&principal=" + encode(principal));
        return join(() -> transport.call("GET", "/v1/acls/check" + q, null, io.warden.api.Acls.Check.class, null, Duration.ZERO));
    }

    /** The audit trail from event index {@code from}, at most {@code max} entries; needs {@code admin} on "/". */
    public io.warden.api.Audit.Page audit(long from, int max) {
        return join(() -> transport.call("GET", "/v1/audit?from=" + from + "&max=" + max, null, io.warden.api.Audit.Page.class, null,
            Duration.ZERO));
    }

    private static String query(String name, String value) {
        return "?" + name + "=" + encode(value);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Every live session (the first page the cell gives). */
    public Sessions.Listing sessions() {
        return join(() -> transport.call("GET", "/v1/sessions", null, Sessions.Listing.class, null, Duration.ZERO));
    }

    /** One session's holds, waits and memberships; empty if it does not exist. */
    public java.util.Optional<Sessions.Detail> session(long id) {
        try {
            return java.util.Optional.of(join(() -> transport.call("GET", "/v1/sessions/" + id, null, Sessions.Detail.class, null, Duration.ZERO)));
        } catch (WardenException e) {
            if (e.status() == 404) return java.util.Optional.empty();
            throw e;
        }
    }

    /** A group's members, as of the listing's event index. */
    public io.warden.api.Groups.Listing members(String group) {
        return join(() -> transport.call("GET", "/v1/groups" + group + "/members", null, io.warden.api.Groups.Listing.class, null, Duration.ZERO));
    }

    /**
     * Follows events that match the filter, from index {@code fromIndex} on (a listing's
     * {@code index} + 1 resumes right after it); see {@link EventSubscription}.
     */
    public EventSubscription watch(EventFilter filter, long fromIndex, EventSubscription.Listener listener) {
        return new EventSubscription(this, filter, fromIndex, listener);
    }

    void forget(Session s) {
        synchronized (sessions) {
            sessions.remove(s);
        }
    }

    @Override
    public void close() {
        List<Session> open;
        synchronized (sessions) {
            open = new ArrayList<>(sessions);
        }
        for (Session s : open) s.close();
        if (ownsScheduler) scheduler.shutdownNow();
        http.close();
    }

    /**
     * Drops this client as a crashed process would: its connections are closed and its own threads
     * stopped, but its sessions are not closed (the cell expires them after their timeouts). For
     * harnesses and tests that simulate a client crash.
     */
    public void abandon() {
        if (ownsScheduler) scheduler.shutdownNow();
        http.close();
    }

    /**
     * Starts {@code call} with its exchange on this thread (it would only wait for a pooled one)
     * and waits for it, unwrapping the cause: blocking calls throw {@link WardenException}.
     */
    static <T> T join(java.util.function.Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> f = Http1Client.onCallerThread(call);
        try {
            if (f.isCompletedExceptionally() && Thread.currentThread().isInterrupted()) throw new InterruptedException();
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new WardenException("interrupted while waiting for the cell", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            throw new WardenException("failed: " + c, c);
        }
    }

    private static ScheduledExecutorService defaultScheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("warden-client-" + t.getId());
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    /** Builds a {@link WardenClient}. */
    public static final class Builder {
        private final List<URI> endpoints = new ArrayList<>();
        private Duration requestTimeout = Duration.ofSeconds(5);
        private RetryPolicy retry = RetryPolicy.defaults();
        private ScheduledExecutorService scheduler;
        private TlsOptions tls;
        private double driftBound = DriftBound.standard().epsilon();
        private Duration sessionGrace = Duration.ofSeconds(45);
        private String token;

        /** The cell's replicas, e.g. {@code "http://10.0.0.11:7001"}; any one of them is enough to find the master. */
        public Builder endpoints(String... urls) {
            for (String u : urls) endpoints.add(URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u));
            return this;
        }

        public Builder endpoints(List<URI> uris) {
            endpoints.addAll(uris);
            return this;
        }

        /** How long one HTTP exchange may take (an acquire's wait is added on top). Default 5 s. */
        public Builder requestTimeout(Duration d) {
            requestTimeout = Objects.requireNonNull(d);
            return this;
        }

        public Builder retryPolicy(RetryPolicy r) {
            retry = Objects.requireNonNull(r);
            return this;
        }

        /** Where KeepAlives, watches and listeners run; the client does not shut a supplied one down. */
        public Builder scheduler(ScheduledExecutorService s) {
            scheduler = s;
            return this;
        }

        /**
         * TLS for {@code https://} endpoints: the CA to trust (the cell's) and, if the cell asks for
         * one, the client certificate to present, e.g.
         * {@code .tls(TlsOptions.trustingCa(ca).withCertificate(cert, key))}. Without it, https
         * endpoints are checked against the JVM's default trust store.
         */
        public Builder tls(TlsOptions options) {
            tls = Objects.requireNonNull(options);
            return this;
        }

        /** ε, the assumed bound on clock-rate drift between this process and the cell. Default 1 %. */
        public Builder driftBound(double epsilon) {
            driftBound = epsilon;
            return this;
        }

        /**
         * How long a session may stay in JEOPARDY (its local lease ran out, the cell unconfirmed)
         * before the library declares it EXPIRED. Default 45 s (Chubby's).
         */
        public Builder sessionGrace(Duration d) {
            sessionGrace = Objects.requireNonNull(d);
            return this;
        }

        /**
         * A bearer token, sent as {@code Authorization: Bearer <token>} with every request (a cell
         * with authentication on refuses calls without one, 401). Default: none.
         */
        public Builder token(String bearerToken) {
            if (bearerToken != null && (bearerToken.isBlank() || bearerToken.chars().anyMatch(c -> c <= ' ' || c > '~'))) {
                throw new IllegalArgumentException("a token is printable ASCII without spaces");
            }
            token = bearerToken;
            return this;
        }

        public WardenClient build() {
            if (endpoints.isEmpty()) throw new IllegalArgumentException("at least one endpoint is required");
            return new WardenClient(this);
        }
    }
}
