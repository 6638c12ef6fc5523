package io.warden.client;

import io.warden.api.Event;
import io.warden.api.Events;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running watch: long-polls the cell for events matching a filter, in index order, with no gap.
 * It resumes from the last index delivered after any error or fail-over. If the history it needs
 * was compacted away, it says so ({@link Listener#resync}) and continues from the cell's current
 * index: the listener re-reads what it follows and goes on; nothing is skipped silently.
 *
 * <p>Threading: the listener is called on the client's scheduler, one call at a time, in order.
 */
public final class EventSubscription implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventSubscription.class);
    private static final long POLL_MILLIS = 25_000;

    /** What a subscriber is told. */
    public interface Listener {
        void event(Event e);

        /** Events before {@code lastIndex + 1} cannot be replayed; re-read state as of {@code lastIndex}. */
        default void resync(long lastIndex) {}
    }

    private final WardenClient client;
    private final EventFilter filter;
    private final Listener listener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long next;

    EventSubscription(WardenClient client, EventFilter filter, long fromIndex, Listener listener) {
        this.client = client;
        this.filter = filter;
        this.listener = listener;
        this.next = Math.max(1, fromIndex);
        client.scheduler.execute(this::poll);
    }

    /** The next index this subscription will deliver from (its resume point). */
    public long next() {
        return next;
    }

    private void poll() {
        if (closed.get()) return;
        String path = "/v1/events?from=" + next + "&waitMillis=" + POLL_MILLIS + "&max=500" + filter.query();
        client.transport.call("GET", path, null, Events.Page.class, null, Duration.ofMillis(POLL_MILLIS), Duration.ofSeconds(30))
            .whenCompleteAsync((page, error) -> {
                if (closed.get()) return;
                try {
                    if (error == null) {
                        for (Event e : page.events()) {
                            if (e.index() >= next) {
                                listener.event(e);
                                next = e.index() + 1;
                            }
                        }
                        next = Math.max(next, page.next());
                        again(0);
                        return;
                    }
                    Throwable c = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (c instanceof ResyncRequiredException r) {
                        listener.resync(r.lastIndex());
                        next = r.lastIndex() + 1;
                        again(0);
                        return;
                    }
                    log.debug("event watch failed; retrying from {}", next, c);
                } catch (RuntimeException e) {
                    log.warn("event listener failed", e);
                }
                again(200);
            }, client.scheduler);
    }

    /** Polls again, unless closed or the client is shutting down. */
    private void again(long delayMillis) {
        if (closed.get() || client.scheduler.isShutdown()) return;
        try {
            client.scheduler.schedule(this::poll, delayMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            closed.set(true); // the client closed under us: nothing left to follow
        }
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
