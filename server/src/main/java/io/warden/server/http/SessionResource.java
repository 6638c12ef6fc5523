package io.warden.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.warden.api.Permission;
import io.warden.api.Sessions;
import io.warden.server.cell.CellCommand;
import io.warden.server.cell.CellResult;
import io.warden.server.cell.CellState;
import io.warden.server.cell.SessionTable;
import io.warden.server.security.Access;
import io.warden.server.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Sessions (Chubby §2.8): create, KeepAlive, close, inspect. Creating and closing are writes
 * (decided through Paxos); a KeepAlive renews the lease on the master alone, with no Paxos round;
 * reads are linearizable, served by the master under its lease. A session belongs to the principal
 * that opened it: only it (or a principal with {@code admin} on "/") may renew, close or inspect it;
 * listing every session needs {@code read} on "/" (others see their own).
 */
@Path("v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit.Bounded
public final class SessionResource {
    static final int MAX_LIST = 1_000;

    private final CellGateway cell;
    private final Access access;

    public SessionResource(CellGateway cell, Access access) {
        this.cell = cell;
        this.access = access;
    }

    /** The body is optional (no body: the default timeout, no label), so any content type is read here. */
    @POST
    public CompletionStage<Response> create(String body, @HeaderParam("Content-Type") String contentType,
                                            @HeaderParam(RequestId.CLIENT_HEADER) String client,
                                            @HeaderParam(RequestId.SEQUENCE_HEADER) String seq,
                                            @Context SecurityContext security) throws JsonProcessingException {
        RequestId id = RequestId.fromHeaders(client, seq);
        Sessions.CreateRequest b = parse(body, contentType);
        long requested = b.timeoutMillis() == null ? 0 : b.timeoutMillis();
        if (requested < 0) throw Input.problem(400, "invalid-field", "timeoutMillis", "timeoutMillis must be >= 0 (0: the default)");
        return cell.limits().thenCompose(limits -> {
            if (b.client() != null && b.client().length() > limits.maxClientLabel()) {
                throw Input.problem(400, "client-too-long", "client", "client is at most " + limits.maxClientLabel() + " characters");
            }
            return cell.write(id, new CellCommand.CreateSession(requested, b.client(), Caller.of(security).principal()), CellGateway.REQUEST_TIMEOUT_MILLIS);
        }).thenApply(r -> {
            CellResult.SessionCreated sc = Results.expect(r, CellResult.SessionCreated.class);
            return Response.created(URI.create("v1/sessions/" + sc.session()))
                .entity(new Sessions.Created(sc.session(), sc.timeoutMillis(), sc.timeoutMillis())).build();
        });
    }

    @POST
    @Path("{id}/keepalive")
    public CompletionStage<Sessions.KeepAlive> keepAlive(@PathParam("id") String id, @Context SecurityContext sc) {
        long session = sessionId(id);
        return ownSession(Caller.of(sc), session).thenCompose(ok -> cell.keepAlive(session)).thenApply(k -> new Sessions.KeepAlive(k.session(), k.ttlMillis(), k.timeoutMillis(), k.held()));
    }

    /**
     * One KeepAlive for many sessions (a client's whole set, Chubby-style): each named session is
     * renewed as by its own KeepAlive; those the cell no longer knows are listed in {@code gone}.
     */
    @POST
    @Path("keepalive")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Sessions.KeepAlives> keepAliveAll(Sessions.KeepAliveBatch body, @Context SecurityContext sc) {
        List<Long> ids = Input.required(Input.required(body, "sessions").sessions(), "sessions");
        if (ids.isEmpty() || ids.size() > Sessions.MAX_KEEPALIVE_BATCH) {
            throw Input.problem(400, "invalid-field", "sessions",
                "sessions must name 1 to " + Sessions.MAX_KEEPALIVE_BATCH + " session ids, got " + ids.size());
        }
        for (Long s : ids) Input.positiveId(s, "sessions");
        return ownSessions(Caller.of(sc), List.copyOf(ids)).thenCompose(ok -> cell.keepAlive(List.copyOf(ids))).thenApply(k -> new Sessions.KeepAlives(
            k.renewed().stream().map(r -> new Sessions.KeepAlive(r.session(), r.ttlMillis(), r.timeoutMillis(), r.held())).toList(),
            k.gone()));
    }

    /** A clean close: the session's locks are released at once (no lock-delay), its memberships removed. */
    @DELETE
    @Path("{id}")
    public CompletionStage<Sessions.Closed> close(@PathParam("id") String id, @HeaderParam(RequestId.CLIENT_HEADER) String client,
                                         @HeaderParam(RequestId.SEQUENCE_HEADER) String seq, @Context SecurityContext sc) {
        long session = sessionId(id);
        RequestId rid = RequestId.fromHeaders(client, seq);
        Caller caller = Caller.of(sc);
        return ownSession(caller, session)
            .thenCompose(ok -> cell.write(rid, new CellCommand.CloseSession(session, caller.principal()), CellGateway.REQUEST_TIMEOUT_MILLIS))
            .thenApply(r -> new Sessions.Closed(session, true, Results.expect(r, CellResult.Done.class).index()));
    }

    @GET
    @Path("{id}")
    public CompletionStage<Sessions.Detail> get(@PathParam("id") String id, @Context SecurityContext sc) {
        long session = sessionId(id);
        Caller caller = Caller.of(sc);
        return cell.read(s -> {
            if (!mayRead(s, caller, session)) return access.sessionRefusal(s, caller, session);
            return s.session(session).map(v -> (Object) Views.session(s, v)).orElse(null);
        }).thenApply(d -> {
            if (d instanceof Problem refused) throw new ApiException(refused);
            if (d == null) {
                throw new ApiException(Problem.of(Response.Status.NOT_FOUND, "no-such-session",
                    "session " + session + " does not exist or has ended").with("session", session));
            }
            return (Sessions.Detail) d;
        });
    }

    /** Sessions in id order, from after {@code after}, at most {@code max}. */
    @GET
    public CompletionStage<Sessions.Listing> list(@QueryParam("after") String afterParam, @QueryParam("max") String maxParam,
                                                  @Context SecurityContext sc) {
        Caller caller = Caller.of(sc);
        long after = Input.parameter(afterParam, "after", 0, 0, Long.MAX_VALUE);
        int max = (int) Input.parameter(maxParam, "max", MAX_LIST, 1, MAX_LIST);
        return cell.read(s -> {
            List<Sessions.Detail> out = new ArrayList<>();
            boolean truncated = false;
            for (long sid : s.sessionIds()) {
                if (sid <= after || !mayRead(s, caller, sid)) continue;
                if (out.size() == max) {
                    truncated = true;
                    break;
                }
                SessionTable.SessionView v = s.session(sid).orElseThrow();
                out.add(Views.session(s, v));
            }
            return new Sessions.Listing(out, truncated, s.lastEventIndex());
        });
    }

    /** The caller's own session, or the caller may act on every session (403 otherwise). */
    private CompletionStage<Void> ownSession(Caller caller, long session) {
        if (!access.enforced()) return java.util.concurrent.CompletableFuture.completedFuture(null);
        return cell.read(s -> access.sessionRefusal(s, caller, session)).thenApply(refused -> {
            if (refused != null) throw new ApiException(refused);
            return null;
        });
    }

    /** As {@link #ownSession} for every one of {@code sessions}, in one read (unknown ones pass: they come back as gone). */
    private CompletionStage<Void> ownSessions(Caller caller, List<Long> sessions) {
        if (!access.enforced()) return java.util.concurrent.CompletableFuture.completedFuture(null);
        return cell.read(s -> {
            for (long session : sessions) {
                Problem refused = access.sessionRefusal(s, caller, session);
                if (refused != null) return refused;
            }
            return null;
        }).thenApply(refused -> {
            if (refused != null) throw new ApiException(refused);
            return null;
        });
    }

    /** Loop thread: the caller's own session, or it may read everything. */
    private boolean mayRead(CellState s, Caller caller, long session) {
        return caller.principal().equals(s.sessionPrincipal(session)) || access.allows(s, caller, Permission.READ, Access.ROOT);
    }

    private static Sessions.CreateRequest parse(String body, String contentType) throws JsonProcessingException {
        if (body == null || body.isBlank()) return new Sessions.CreateRequest(null, null);
        if (contentType != null && !isJson(contentType)) {
            throw new ApiException(Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "the body must be application/json, got " + contentType));
        }
        Sessions.CreateRequest b = JsonMapper.MAPPER.readValue(body, Sessions.CreateRequest.class);
        return b == null ? new Sessions.CreateRequest(null, null) : b;
    }

    private static boolean isJson(String contentType) {
        try {
            return MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static long sessionId(String raw) {
        try {
            long v = Long.parseLong(raw);
            if (v > 0) return v;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Input.problem(400, "invalid-parameter", "session", "a session id is a positive integer, got '" + raw + "'");
    }
}
