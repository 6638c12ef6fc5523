package io.warden.server.http;

import io.warden.api.Acls;
import io.warden.api.Permission;
import io.warden.server.cell.AclTable;
import io.warden.server.cell.CellCommand;
import io.warden.server.cell.CellResult;
import io.warden.server.security.Access;
import io.warden.server.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.concurrent.CompletionStage;

/**
 * {@code /v1/acls}: the replicated ACL entries (see {@link AclTable} for how they are inherited).
 * Setting or removing an entry needs {@code admin} on its path and is audited; listing needs
 * {@code read} on the prefix; {@code check} tells what a principal may do on a name (the caller
 * itself, or, with {@code read} there, anyone).
 */
@Path("v1/acls")
@Produces(MediaType.APPLICATION_JSON)
@BodyLimit.Bounded
public final class AclResource {
    private final CellGateway cell;
    private final Access access;

    public AclResource(CellGateway cell, Access access) {
        this.cell = cell;
        this.access = access;
    }

    @GET
    public CompletionStage<Acls.Listing> list(@QueryParam("prefix") String prefixParam, @Context SecurityContext sc) {
        String prefix = prefixParam == null || prefixParam.isEmpty() ? "/" : aclPath(prefixParam, "prefix");
        return access.require(Caller.of(sc), Permission.READ, prefix)
            .thenCompose(ok -> cell.read(s -> new Acls.Listing(prefix, s.aclEntries(prefix), access.enforced(), s.lastEventIndex())));
    }

    @GET
    @Path("check")
    public CompletionStage<Acls.Check> check(@QueryParam("name") String nameParam, @QueryParam("principal") String principalParam,
                                             @Context SecurityContext sc) {
        String name = aclPath(Input.required(nameParam, "name"), "name");
        Caller caller = Caller.of(sc);
        Caller subject = principalParam == null || principalParam.equals(caller.principal()) ? caller : access.callerNamed(principal(principalParam));
        var allowed = subject == caller ? java.util.concurrent.CompletableFuture.<Void>completedFuture(null)
            : access.require(caller, Permission.READ, name);
        return allowed.thenCompose(ok -> cell.read(s -> {
            var d = s.decide(subject.principal(), subject.groups(), name);
            Permission p = !access.enforced() || subject.bootstrapAdmin() ? Permission.ADMIN : d.permission();
            return new Acls.Check(name, subject.principal(), p, subject.bootstrapAdmin() ? null : d.decidedBy(), subject.bootstrapAdmin(),
                access.enforced());
        }));
    }

    /** Sets (adds or replaces) one entry. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Acls.Changed> set(Acls.SetRequest body, @HeaderParam(RequestId.CLIENT_HEADER) String client,
                                             @HeaderParam(RequestId.SEQUENCE_HEADER) String seq, @Context SecurityContext sc) {
        RequestId id = RequestId.fromHeaders(client, seq);
        Input.required(body, "path");
        String path = aclPath(Input.required(body.path(), "path"), "path");
        String subject = subject(Input.required(body.subject(), "subject"));
        Permission permission = permission(Input.required(body.permission(), "permission"));
        Caller caller = Caller.of(sc);
        return access.require(caller, Permission.ADMIN, path)
            .thenCompose(ok -> cell.write(id, new CellCommand.SetAcl(path, subject, permission, caller.principal()),
                CellGateway.REQUEST_TIMEOUT_MILLIS))
            .thenApply(r -> new Acls.Changed(path, subject, permission, false, Results.expect(r, CellResult.Done.class).index()));
    }

    /** Removes one entry: {@code DELETE /v1/acls?path=/jobs/&subject=alice}. */
    @DELETE
    public CompletionStage<Acls.Changed> remove(@QueryParam("path") String pathParam, @QueryParam("subject") String subjectParam,
                                                @HeaderParam(RequestId.CLIENT_HEADER) String client,
                                                @HeaderParam(RequestId.SEQUENCE_HEADER) String seq, @Context SecurityContext sc) {
        RequestId id = RequestId.fromHeaders(client, seq);
        String path = aclPath(Input.required(pathParam, "path"), "path");
        String subject = subject(Input.required(subjectParam, "subject"));
        Caller caller = Caller.of(sc);
        return access.require(caller, Permission.ADMIN, path)
            .thenCompose(ok -> cell.write(id, new CellCommand.RemoveAcl(path, subject, caller.principal()), CellGateway.REQUEST_TIMEOUT_MILLIS))
            .thenApply(r -> new Acls.Changed(path, subject, null, true, Results.expect(r, CellResult.Done.class).index()));
    }

    private static String aclPath(String path, String field) {
        String bad = AclTable.problemWithPath(path);
        if (bad != null) throw Input.problem(400, "invalid-name", field, field + " '" + path + "': " + bad);
        return path;
    }

    private static String subject(String subject) {
        String bad = AclTable.problemWithSubject(subject);
        if (bad != null) throw Input.problem(400, "invalid-subject", "subject", bad);
        return subject;
    }

    private static String principal(String principal) {
        if (!AclTable.PRINCIPAL.matcher(principal).matches()) {
            throw Input.problem(400, "invalid-subject", "principal", "'" + principal + "' is not a principal name");
        }
        return principal;
    }

    private static Permission permission(String wire) {
        try {
            return Permission.fromWire(wire);
        } catch (IllegalArgumentException e) {
            throw Input.problem(400, "invalid-permission", "permission", e.getMessage());
        }
    }
}
