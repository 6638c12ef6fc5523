package io.warden.server.http;

import io.warden.api.LockMode;
import io.warden.api.Locks;
import io.warden.api.Permission;
import io.warden.server.cell.CellCommand;
import io.warden.server.cell.CellResult;
import io.warden.server.cell.LockTable;
import io.warden.server.security.Access;
import io.warden.server.security.Caller;
import jakarta.ws.rs.Consumes;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Locks (Chubby §2.4-2.6): acquire (optionally waiting, in FIFO order, with no thread held while
 * it waits), release, set the value, break; and inspection. Writes are answered once decided by a
 * majority and applied; reads are linearizable. Acquire, release and value need {@code lock} on the
 * name and the caller's own session; break needs {@code admin}; inspection {@code read}.
 */
@Path("v1/locks")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit.Bounded
public final class LockResource {
    /** How much longer than its own wait an acquire may take before the answer is "outcome unknown". */
    static final long WAIT_SLACK_MILLIS = 10_000;
    static final int MAX_LIST = 1_000;

    private final CellGateway cell;
    private final Access access;

    public LockResource(CellGateway cell, Access access) {
        this.cell = cell;
        this.access = access;
    }

    /**
     * Grants at once if it can; otherwise waits in the lock's queue up to {@code waitMillis} (0: try
     * once) and answers when granted (200) or when the wait ends (409 {@code not-acquired}).
     */
    @POST
    @Path("acquire")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Locks.Granted> acquire(Locks.AcquireRequest body, @HeaderParam(RequestId.CLIENT_HEADER) String client,
                                            @HeaderParam(RequestId.SEQUENCE_HEADER) String seq, @Context SecurityContext sc) {
        RequestId id = RequestId.fromHeaders(client, seq);
        Input.required(body, "lock");
        String lock = Input.path(body.lock(), "lock");
        long session = Input.positiveId(body.session(), "session");
        LockMode mode = Input.mode(body.mode());
        return access.requireSession(Caller.of(sc), session, Permission.LOCK, lock).thenCompose(ok -> cell.limits()).thenCompose(limits -> {
            long wait = Input.millis(body.waitMillis(), 0, limits.maxWaitMillis(), "waitMillis", "wait-too-long");
            long delay = body.lockDelayMillis() == null ? -1
                : Input.millis(body.lockDelayMillis(), 0, limits.maxLockDelayMillis(), "lockDelayMillis", "lock-delay-too-long");
            return cell.write(id, new CellCommand.Acquire(session, lock, mode, wait, delay), wait + WAIT_SLACK_MILLIS);
        }).thenApply(r -> {
            if (r instanceof CellResult.NotAcquired n) {
                throw new ApiException(Problem.of(Response.Status.CONFLICT, "not-acquired", n.reason())
                    .with("lock", lock).with("session", session));
            }
            return new Locks.Granted(true, Results.expect(r, CellResult.Granted.class).sequencer());
        });
    }

    @POST
    @Path("release")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Locks.Released> release(Locks.HolderRequest body, @HeaderParam(RequestId.CLIENT_HEADER) String client,
                                             @HeaderParam(RequestId.SEQUENCE_HEADER) String seq, @Context SecurityContext sc) {
        RequestId id = RequestId.fromHeaders(client, seq);
        Input.required(body, "lock");
        String lock = Input.path(body.lock(), "lock");
        long session = Input.positiveId(body.session(), "session");
        return access.requireSession(Caller.of(sc), session, Permission.LOCK, lock)
            .thenCompose(ok -> cell.write(id, new CellCommand.Release(session, lock), CellGateway.REQUEST_TIMEOUT_MILLIS)).thenApply(r -> {
            Results.expect(r, CellResult.Done.class);
            return new Locks.Released(lock, session, true);
        });
    }

    /** Sets the lock's value; only its exclusive holder may. */
    @POST
    @Path("value")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Locks.ValueSet> value(Locks.ValueRequest body, @HeaderParam(RequestId.CLIENT_HEADER) String client,
                                           @HeaderParam(RequestId.SEQUENCE_HEADER) String seq, @Context SecurityContext sc) {
        RequestId id = RequestId.fromHeaders(client, seq);
        Input.required(body, "lock");
        String lock = Input.path(body.lock(), "lock");
        long session = Input.positiveId(body.session(), "session");
        String value = Input.required(body.value(), "value");
        return access.requireSession(Caller.of(sc), session, Permission.LOCK, lock).thenCompose(ok -> cell.limits()).thenCompose(limits -> {
            Input.bounded(value, limits.maxValueBytes(), "value", "value-too-large");
            return cell.write(id, new CellCommand.SetValue(session, lock, value), CellGateway.REQUEST_TIMEOUT_MILLIS);
        }).thenApply(r -> {
            Results.expect(r, CellResult.Done.class);
            return new Locks.ValueSet(lock, session, value);
        });
    }

    /** An administrator takes the lock from its holders: they are fenced and its lock-delay applies. */
    @POST
    @Path("break")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Locks.Broken> breakLock(Locks.BreakRequest body, @HeaderParam(RequestId.CLIENT_HEADER) String client,
                                             @HeaderParam(RequestId.SEQUENCE_HEADER) String seq, @Context SecurityContext sc) {
        RequestId id = RequestId.fromHeaders(client, seq);
        Input.required(body, "lock");
        String lock = Input.path(body.lock(), "lock");
        Caller caller = Caller.of(sc);
        return access.require(caller, Permission.ADMIN, lock)
            .thenCompose(ok -> cell.write(id, new CellCommand.BreakLock(lock, caller.principal()), CellGateway.REQUEST_TIMEOUT_MILLIS))
            .thenApply(r -> {
            Results.expect(r, CellResult.Done.class);
            return new Locks.Broken(lock, true);
        });
    }

    /** {@code /v1/locks/orders/primary} is the lock "/orders/primary". */
    @GET
    @Path("{name: .+}")
    public CompletionStage<Locks.View> get(@PathParam("name") String name, @Context SecurityContext sc) {
        String lock = Input.path("/" + name, "lock");
        return access.require(Caller.of(sc), Permission.READ, lock).thenCompose(ok -> cell.read(s -> {
            LockTable.LockRecord r = s.lock(lock);
            return r == null ? null : Views.lock(s, r);
        })).thenApply(v -> {
            if (v == null) {
                throw new ApiException(Problem.of(Response.Status.NOT_FOUND, "no-such-lock",
                    "nobody holds, waits for or delays " + lock + ", and it has no value").with("lock", lock));
            }
            return v;
        });
    }

    /**
     * Locks whose name starts with {@code prefix}, in name order, at most {@code max}: of those,
     * only the ones the caller may read are shown.
     */
    @GET
    public CompletionStage<Locks.Listing> list(@QueryParam("prefix") String prefixParam, @QueryParam("max") String maxParam,
                                               @Context SecurityContext sc) {
        Caller caller = Caller.of(sc);
        String prefix = prefixParam == null || prefixParam.isEmpty() ? "/" : Input.prefix(prefixParam, "prefix");
        int max = (int) Input.parameter(maxParam, "max", MAX_LIST, 1, MAX_LIST);
        return cell.read(s -> {
            List<LockTable.LockRecord> found = s.locks(prefix, max + 1);
            List<Locks.View> views = new ArrayList<>(Math.min(found.size(), max));
            for (int i = 0; i < found.size() && i < max; i++) {
                if (access.allows(s, caller, Permission.READ, found.get(i).name())) views.add(Views.lock(s, found.get(i)));
            }
            return new Locks.Listing(prefix, views, found.size() > max, s.lastEventIndex());
        });
    }
}
