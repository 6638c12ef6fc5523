package io.warden.server.http;

import io.warden.api.Event;
import io.warden.server.cell.CellState;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * The long-poll machinery under {@code GET /v1/events} (JSON and Server-Sent Events): the events
 * from an index that match a filter, at once if there are any, else as soon as one is applied, or
 * none when the wait runs out. Every page is taken by a linearizable read on the loop's thread, so
 * a page never skips an event: {@code next} is where the following page starts. Holds no thread
 * while it waits.
 */
final class EventFeed {
    /**
     * Matching events from the index asked for, through {@code lastIndex} (everything up to it was
     * looked at); or {@code resync} when that index is no longer retained (or is beyond the log).
     */
    record Page(List<Event> events, long lastIndex, boolean resync, long firstRetained) {
        long next() {
            return lastIndex + 1;
        }
    }

    /** A wait with no bound (an event stream, which has its own heartbeat). */
    static final long UNBOUNDED = Long.MAX_VALUE;

    private final CellGateway cell;

    EventFeed(CellGateway cell) {
        this.cell = cell;
    }

    CompletableFuture<Page> next(long from, EventFilter filter, int max, long waitMillis) {
        return cell.read(s -> scan(s, from, filter, max)).thenCompose(page -> {
            if (page.resync() || !page.events().isEmpty() || waitMillis == 0) return CompletableFuture.completedFuture(page);
            long rest = page.next();
            return cell.awaitEvent(rest, filter, waitMillis)
                .handle((nothing, e) -> {
                    if (e != null && !(unwrap(e) instanceof TimeoutException)) throw new CompletionException(unwrap(e));
                    return rest;
                })
                .thenCompose(at -> cell.read(s -> scan(s, at, filter, max)));
        });
    }

    /** The 410 a client gets when the events it asked for are gone: re-read the state, then resume. */
    static ApiException resyncRequired(Page page, long from) {
        return new ApiException(Problem.of(Response.Status.GONE, "resync-required",
            "events from " + from + " are no longer retained (or never existed): read the state you need again, then "
                + "resume from lastIndex + 1").with("firstRetained", page.firstRetained()).with("lastIndex", page.lastIndex()));
    }

    /** Loop thread only. */
    private static Page scan(CellState s, long from, EventFilter filter, int max) {
        long last = s.lastEventIndex();
        long first = s.firstRetainedEvent();
        if ((from < first && from <= last) || from > last + 1) return new Page(List.of(), last, true, first);
        List<Event> matching = new ArrayList<>();
        long through = last;
        for (Event e : s.eventsFrom(from, Integer.MAX_VALUE)) {
            if (!filter.test(e)) continue;
            matching.add(e);
            if (matching.size() == max) {
                through = e.index();
                break;
            }
        }
        return new Page(List.copyOf(matching), through, false, first);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
