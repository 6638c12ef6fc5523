package io.warden.server.http;

import io.warden.api.Audit;
import io.warden.api.Permission;
import io.warden.server.security.Access;
import io.warden.server.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /v1/audit?from=&max=}: the audit trail (ACL changes, lock breaks, sessions ended by
 * others), oldest first from event index {@code from}; needs {@code admin} on "/". The cell keeps
 * the newest {@code retainedAudit} entries; {@code firstRetained} says where the kept ones start.
 */
@Path("v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {
    static final int DEFAULT_MAX = 100;
    static final int MAX_ENTRIES = 1_000;

    private final CellGateway cell;
    private final Access access;

    public AuditResource(CellGateway cell, Access access) {
        this.cell = cell;
        this.access = access;
    }

    @GET
    public CompletionStage<Audit.Page> page(@QueryParam("from") String fromParam, @QueryParam("max") String maxParam,
                                            @Context SecurityContext sc) {
        long from = Input.parameter(fromParam, "from", 0, 0, Long.MAX_VALUE - 1);
        int max = (int) Input.parameter(maxParam, "max", DEFAULT_MAX, 1, MAX_ENTRIES);
        return access.require(Caller.of(sc), Permission.ADMIN, Access.ROOT).thenCompose(ok -> cell.read(s -> {
            List<Audit.Entry> entries = s.auditFrom(from, max);
            long next = entries.isEmpty() ? Math.max(from, s.lastEventIndex() + 1) : entries.get(entries.size() - 1).index() + 1;
            return new Audit.Page(entries, s.firstRetainedAudit(), next);
        }));
    }
}
