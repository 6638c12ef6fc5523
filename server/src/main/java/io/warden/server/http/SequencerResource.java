package io.warden.server.http;

import io.warden.api.Permission;
import io.warden.server.security.Access;
import io.warden.server.security.Caller;
import io.warden.api.LockMode;
import io.warden.api.Locks;
import io.warden.api.Sequencer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.concurrent.CompletionStage;

/**
 * Chubby's CheckSequencer: a resource server asks whether a sequencer a client handed it is still
 * in force (same session, mode and token as the lock's current grant). A linearizable read, so
 * "valid" means valid at some instant between the request's arrival and its answer. Needs
 * {@code read} on the lock (a resource server's principal is granted it).
 */
@Path("v1/sequencers")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit.Bounded
public final class SequencerResource {
    private final CellGateway cell;
    private final Access access;

    public SequencerResource(CellGateway cell, Access access) {
        this.cell = cell;
        this.access = access;
    }

    @POST
    @Path("check")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Locks.Checked> check(Locks.CheckRequest body, @Context SecurityContext sc) {
        Input.required(body, "lock");
        String lock = Input.path(body.lock(), "lock");
        LockMode mode = Input.mode(Input.required(body.mode(), "mode"));
        long session = Input.positiveId(body.session(), "session");
        long token = Input.positiveId(body.token(), "token");
        Sequencer sequencer = new Sequencer(lock, mode, session, token);
        return access.require(Caller.of(sc), Permission.READ, lock)
            .thenCompose(ok -> cell.read(s -> s.isCurrent(sequencer))).thenApply(Locks.Checked::new);
    }
}
