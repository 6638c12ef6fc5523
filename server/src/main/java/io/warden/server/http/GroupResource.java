package io.warden.server.http;

import io.warden.api.Permission;
import io.warden.server.security.Access;
import io.warden.server.security.Caller;
import io.warden.api.Groups;
import io.warden.server.cell.CellCommand;
import io.warden.server.cell.CellResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Group membership: a member is tied to the session that joined it and vanishes when that session
 * ends (closed or expired). Joining again with the same session updates the payload; a member
 * name held by another session is a 409 {@code member-taken}. Joining and leaving need {@code lock}
 * on the group's name and the caller's own session; listing members needs {@code read}.
 */
@Path("v1/groups")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit.Bounded
public final class GroupResource {
    private final CellGateway cell;
    private final Access access;

    public GroupResource(CellGateway cell, Access access) {
        this.cell = cell;
        this.access = access;
    }

    @POST
    @Path("join")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Groups.Changed> join(Groups.JoinRequest body, @HeaderParam(RequestId.CLIENT_HEADER) String client,
                                         @HeaderParam(RequestId.SEQUENCE_HEADER) String seq, @Context SecurityContext sc) {
        RequestId id = RequestId.fromHeaders(client, seq);
        Input.required(body, "group");
        String group = Input.path(body.group(), "group");
        String member = Input.member(body.member(), "member");
        long session = Input.positiveId(body.session(), "session");
        return access.requireSession(Caller.of(sc), session, Permission.LOCK, group).thenCompose(ok -> cell.limits()).thenCompose(limits -> {
            Input.bounded(body.payload(), limits.maxPayloadBytes(), "payload", "payload-too-large");
            return cell.write(id, new CellCommand.Join(session, group, member, body.payload()), CellGateway.REQUEST_TIMEOUT_MILLIS);
        }).thenApply(r -> new Groups.Changed(group, member, session, Results.expect(r, CellResult.Done.class).index()));
    }

    @POST
    @Path("leave")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Groups.Changed> leave(Groups.LeaveRequest body, @HeaderParam(RequestId.CLIENT_HEADER) String client,
                                          @HeaderParam(RequestId.SEQUENCE_HEADER) String seq, @Context SecurityContext sc) {
        RequestId id = RequestId.fromHeaders(client, seq);
        Input.required(body, "group");
        String group = Input.path(body.group(), "group");
        String member = Input.member(body.member(), "member");
        long session = Input.positiveId(body.session(), "session");
        return access.requireSession(Caller.of(sc), session, Permission.LOCK, group)
            .thenCompose(ok -> cell.write(id, new CellCommand.Leave(session, group, member), CellGateway.REQUEST_TIMEOUT_MILLIS))
            .thenApply(r -> new Groups.Changed(group, member, session, Results.expect(r, CellResult.Done.class).index()));
    }

    /** {@code /v1/groups/svc/api/members} lists the group "/svc/api" (empty if nobody is in it). */
    @GET
    @Path("{group: .+}/members")
    public CompletionStage<Groups.Listing> members(@PathParam("group") String name, @Context SecurityContext sc) {
        String group = Input.path("/" + name, "group");
        return access.require(Caller.of(sc), Permission.READ, group).thenCompose(ok -> cell.read(s -> {
            List<Groups.Member> members = s.members(group).stream().map(Views::member).toList();
            return new Groups.Listing(group, members, s.lastEventIndex());
        }));
    }
}
