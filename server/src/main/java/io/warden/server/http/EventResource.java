package io.warden.server.http;

import io.warden.api.Permission;
import io.warden.server.security.Access;
import io.warden.server.security.Caller;
import io.warden.api.Events;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /v1/events}: the cell's event log from an index, filtered, as a JSON long-poll or (with
 * {@code Accept: text/event-stream}) as a stream of Server-Sent Events whose ids are event indexes.
 * Resuming from {@code next} (or from {@code Last-Event-ID} + 1) never misses an event; if the
 * events asked for were compacted away the answer is 410 {@code resync-required}. Watching needs
 * {@code read} on everything watched: the prefix and every ACL path below it (a prefix not ending
 * in '/' matches across names, so from its parent), the group; with no filter, all of "/".
 */
@Path("v1/events")
public final class EventResource {
    static final long DEFAULT_WAIT_MILLIS = 30_000;
    static final long MAX_WAIT_MILLIS = 60_000;
    static final int DEFAULT_MAX = 100;
    static final int MAX_EVENTS = 1_000;

    private final CellGateway cell;
    private final EventFeed feed;
    private final ProblemMappers problems;
    private final Access access;
    /** Open streams on this replica, bounded by maxEventStreams (each holds a connection and a watch). */
    private final AtomicInteger streams = new AtomicInteger();

    public EventResource(CellGateway cell, ProblemMappers problems, Access access) {
        this.cell = cell;
        this.access = access;
        this.feed = new EventFeed(cell);
        this.problems = problems;
    }

    /** Answers at once if matching events exist from {@code from}; else waits up to {@code waitMillis}. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Events.Page> poll(@QueryParam("from") String fromParam, @QueryParam("prefix") String prefix,
                                            @QueryParam("group") String group, @QueryParam("waitMillis") String waitParam,
                                            @QueryParam("max") String maxParam, @Context SecurityContext sc) {
        long from = Input.requiredParameter(fromParam, "from", 0, Long.MAX_VALUE - 1);
        EventFilter filter = filter(prefix, group);
        long wait = Input.parameter(waitParam, "waitMillis", DEFAULT_WAIT_MILLIS, 0, MAX_WAIT_MILLIS);
        int max = (int) Input.parameter(maxParam, "max", DEFAULT_MAX, 1, MAX_EVENTS);
        return mayWatch(Caller.of(sc), filter).thenCompose(ok -> feed.next(from, filter, max, wait)).thenApply(page -> {
            if (page.resync()) throw EventFeed.resyncRequired(page, from);
            return new Events.Page(page.events(), page.lastIndex(), page.next());
        });
    }

    /**
     * The same events as a stream: {@code id:} is the event's index, {@code event:} its type,
     * {@code data:} the event as JSON. A reconnecting client's {@code Last-Event-ID} takes the place
     * of {@code from}. The stream ends with an {@code error} event (data: a problem) when this
     * replica stops serving, or a {@code resync} event when the client has fallen too far behind.
     */
    @GET
    @Produces(EventStream.MEDIA_TYPE)
    public CompletionStage<Response> stream(@QueryParam("from") String fromParam, @QueryParam("prefix") String prefix,
                                            @QueryParam("group") String group,
                                            @HeaderParam("Last-Event-ID") String lastEventId, @Context SecurityContext sc) {
        long from = lastEventId != null && !lastEventId.isBlank()
            ? Input.parameter(lastEventId, "Last-Event-ID", 0, 0, Long.MAX_VALUE - 1) + 1
            : Input.requiredParameter(fromParam, "from", 0, Long.MAX_VALUE - 1);
        EventFilter filter = filter(prefix, group);
        int bound = cell.shedding().limits().maxEventStreams();
        if (streams.incrementAndGet() > bound) {
            streams.decrementAndGet();
            throw cell.shedding().refuse("maxEventStreams", bound, false);
        }
        return mayWatch(Caller.of(sc), filter).thenCompose(ok -> feed.next(from, filter, DEFAULT_MAX, 0)).whenComplete((page, e) -> {
            if (e != null || page.resync()) streams.decrementAndGet(); // no stream was opened
        }).thenApply(page -> {
            if (page.resync()) throw EventFeed.resyncRequired(page, from);
            EventStream stream = new EventStream(feed, filter, cell.responses(), problems, streams::decrementAndGet);
            stream.start(page);
            return Response.ok(stream.output(), EventStream.MEDIA_TYPE)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no")
                .build();
        });
    }

    private java.util.concurrent.CompletableFuture<Void> mayWatch(Caller caller, EventFilter filter) {
        if (filter.prefix() == null && filter.group() == null) return access.requireBelow(caller, Permission.READ, Access.ROOT);
        java.util.concurrent.CompletableFuture<Void> ok = java.util.concurrent.CompletableFuture.completedFuture(null);
        if (filter.prefix() != null) {
            String p = filter.prefix();
            String covered = p.endsWith("/") ? p : p.substring(0, p.lastIndexOf('/') + 1);
            ok = ok.thenCompose(x -> access.requireBelow(caller, Permission.READ, covered));
        }
        if (filter.group() != null) ok = ok.thenCompose(x -> access.require(caller, Permission.READ, filter.group()));
        return ok;
    }

    private static EventFilter filter(String prefix, String group) {
        String p = prefix == null || prefix.isEmpty() ? null : Input.prefix(prefix, "prefix");
        String g = group == null || group.isEmpty() ? null : Input.path(group, "group");
        return new EventFilter(p, g);
    }
}
