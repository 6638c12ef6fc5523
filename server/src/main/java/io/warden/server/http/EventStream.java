package io.warden.server.http;

import io.warden.api.Event;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.jersey.server.ChunkedOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Server-Sent Events stream (text/event-stream, written by hand: no SSE library), driven by
 * {@link EventFeed}: write a page, wait (unbounded) for the next from its {@code next}, repeat. No
 * thread waits between pages; writes happen on the HTTP server's pool, never on the replica loop's
 * thread. Independently, a comment line every {@link #HEARTBEAT_MILLIS} keeps proxies from closing
 * a quiet stream and finds clients that went away (the write fails and the stream is closed).
 * Each write is one whole frame, and ChunkedOutput serializes writes, so frames never interleave.
 * {@code onClose} runs once, when the stream ends for any reason.
 */
final class EventStream {
    static final String MEDIA_TYPE = "text/event-stream";
    static final long HEARTBEAT_MILLIS = 15_000;
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    private final EventFeed feed;
    private final EventFilter filter;
    private final Executor executor;
    private final ProblemMappers problems;
    private final Runnable onClose;
    private final ChunkedOutput<String> out = new ChunkedOutput<>(String.class);
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;

    EventStream(EventFeed feed, EventFilter filter, Executor executor, ProblemMappers problems, Runnable onClose) {
        this.feed = feed;
        this.filter = filter;
        this.executor = executor;
        this.problems = problems;
        this.onClose = onClose;
    }

    ChunkedOutput<String> output() {
        return out;
    }

    /** Writes {@code first} (events may be written before the response's headers: they are queued) and goes on. */
    void start(EventFeed.Page first) {
        if (!write("retry: 1000\n\n")) return;
        heartbeatLater();
        pump(first);
    }

    private void pump(EventFeed.Page page) {
        if (closed) return;
        if (page.resync()) {
            write(frame(null, "resync", "{\"firstRetained\":" + page.firstRetained() + ",\"lastIndex\":" + page.lastIndex() + "}"));
            close();
            return;
        }
        for (Event e : page.events()) {
            if (!write(frame(e.index(), e.type(), json(e)))) return;
        }
        feed.next(page.next(), filter, EventResource.DEFAULT_MAX, EventFeed.UNBOUNDED).whenCompleteAsync((next, e) -> {
            if (e == null) {
                pump(next);
                return;
            }
            // The stream's last word: why it ends (e.g. 421 with the new master's address), as a problem.
            write(frame(null, "error", json(problems.toResponse(e).getEntity())));
            close();
        }, executor);
    }

    private void heartbeatLater() {
        CompletableFuture.runAsync(() -> {
            if (!closed && write(": keep-alive\n\n")) heartbeatLater();
        }, CompletableFuture.delayedExecutor(HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS, executor));
    }

    private static String frame(Long id, String event, String data) {
        return (id == null ? "" : "id: " + id + "\n") + "event: " + event + "\ndata: " + data + "\n\n";
    }

    private static String json(Object o) {
        try {
            return JsonMapper.MAPPER.writeValueAsString(o);
        } catch (IOException e) {
            return "{}";
        }
    }

    /** False (and the stream closed) if the client has gone. */
    private boolean write(String chunk) {
        if (closed) return false;
        try {
            out.write(chunk);
            return true;
        } catch (IOException | RuntimeException e) {
            log.debug("event stream ended: {}", e.toString());
            close();
            return false;
        }
    }

    private void close() {
        closed = true;
        if (closing.compareAndSet(false, true)) onClose.run();
        try {
            out.close();
        } catch (IOException e) {
            log.debug("closing an event stream: {}", e.toString());
        }
    }
}
