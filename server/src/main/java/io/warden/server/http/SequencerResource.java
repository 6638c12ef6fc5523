package io.warden.server.http;

import io.warden.api.LockMode;
import io.warden.api.Locks;
import io.warden.api.Sequencer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;

/**
 * Chubby's CheckSequencer: a resource server asks whether a sequencer a client handed it is still
 * in force (same session, mode and token as the lock's current grant). A linearizable read, so
 * "valid" means valid at some instant between the request's arrival and its answer.
 */
@Path("v1/sequencers")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit.Bounded
public final class SequencerResource {
    private final CellGateway cell;

    public SequencerResource(CellGateway cell) {
        this.cell = cell;
    }

    @POST
    @Path("check")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Locks.Checked> check(Locks.CheckRequest body) {
        Input.required(body, "lock");
        String lock = Input.path(body.lock(), "lock");
        LockMode mode = Input.mode(Input.required(body.mode(), "mode"));
        long session = Input.positiveId(body.session(), "session");
        long token = Input.positiveId(body.token(), "token");
        Sequencer sequencer = new Sequencer(lock, mode, session, token);
        return cell.read(s -> s.isCurrent(sequencer)).thenApply(Locks.Checked::new);
    }
}
