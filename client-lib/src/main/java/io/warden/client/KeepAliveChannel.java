package io.warden.client;

import io.warden.api.Sessions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One client's KeepAlives, sent together (Chubby §2.8: one KeepAlive per client, not per session;
 * etcd multiplexes its leases' keep-alives on one stream the same way). At most one batch is in
 * flight; every renewal asked for meanwhile rides on the next one, so a lone session's KeepAlive
 * leaves at once and a hundred thousand sessions cost a few requests a second, not one each.
 *
 * <p>Each renewal completes on its own: with its session's {@link Sessions.KeepAlive}, with a 404
 * {@code no-such-session} {@link WardenException} when the cell no longer knows the session, or with
 * the batch's failure (never a 404: a batch that failed as a whole says nothing about any session).
 * Thread-safe; never blocks.
 */
final class KeepAliveChannel {
    private record Pending(CompletableFuture<Sessions.KeepAlive> future, Duration retryFor) {}

    private final Transport transport;
    private final Map<Long, Pending> queued = new LinkedHashMap<>();
    private boolean inFlight;

    KeepAliveChannel(Transport transport) {
        this.transport = transport;
    }

    /** Renews {@code session} in the next batch; {@code retryFor} bounds how long that batch keeps trying. */
    CompletableFuture<Sessions.KeepAlive> renew(long session, Duration retryFor) {
        Pending p;
        synchronized (this) {
            p = queued.get(session);
            if (p != null) return p.future; // already asked for: one renewal answers both
            p = new Pending(new CompletableFuture<>(), retryFor);
            queued.put(session, p);
            if (inFlight) return p.future;
            inFlight = true;
        }
        sendNext();
        return p.future;
    }

    private void sendNext() {
        Map<Long, Pending> batch = new LinkedHashMap<>();
        synchronized (this) {
            Iterator<Map.Entry<Long, Pending>> it = queued.entrySet().iterator();
            while (it.hasNext() && batch.size() < Sessions.MAX_KEEPALIVE_BATCH) {
                Map.Entry<Long, Pending> e = it.next();
                batch.put(e.getKey(), e.getValue());
                it.remove();
            }
            if (batch.isEmpty()) {
                inFlight = false;
                return;
            }
        }
        Duration retryFor = batch.values().stream().map(Pending::retryFor).min(Duration::compareTo).orElseThrow();
        transport.call("POST", "/v1/sessions/keepalive", new Sessions.KeepAliveBatch(new ArrayList<>(batch.keySet())),
                Sessions.KeepAlives.class, null, Duration.ZERO, retryFor)
            .whenComplete((answer, error) -> {
                try {
                    if (error != null) fail(batch, error);
                    else settle(batch, answer);
                } finally {
                    sendNext();
                }
            });
    }

    private static void settle(Map<Long, Pending> batch, Sessions.KeepAlives answer) {
        for (Sessions.KeepAlive k : answer.renewed() == null ? List.<Sessions.KeepAlive>of() : answer.renewed()) {
            Pending p = batch.remove(k.session());
            if (p != null) p.future.complete(k);
        }
        for (Long gone : answer.gone() == null ? List.<Long>of() : answer.gone()) {
            Pending p = batch.remove(gone);
            if (p != null) {
                p.future.completeExceptionally(new WardenException(404, "no-such-session",
                    "session " + gone + " does not exist or has expired; open a new session"));
            }
        }
        for (Pending p : batch.values()) {
            p.future.completeExceptionally(new WardenException(502, "bad-response", "the cell's KeepAlive answer left this session out"));
        }
    }

    private static void fail(Map<Long, Pending> batch, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        WardenException e = cause instanceof WardenException w && w.status() != 404 ? w
            : new WardenException("the batched KeepAlive failed: " + cause.getMessage(), cause);
        for (Pending p : batch.values()) p.future.completeExceptionally(e);
    }
}
