package io.warden.server.http;

import io.warden.api.Permission;
import io.warden.server.security.Access;
import io.warden.server.security.Caller;
import io.warden.api.Registers;
import io.warden.server.cell.CellCommand;
import io.warden.server.cell.CellResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Registers: small named values in the replicated state. {@code PUT} is a write (decided through
 * Paxos, answered once applied); {@code GET} a linearizable read served by the master under its
 * lease, with no Paxos round. Both are refused by non-masters with the master's address.
 *
 * <p>A write may carry {@code Warden-Client-Id} and {@code Warden-Request-Seq}: a retry with the
 * same pair, even to a new master, gets the first outcome and is never applied twice.
 *
 * <p>For ACLs a register's key {@code a/b} is the name {@code /a/b}: reading needs {@code read} on
 * it, writing {@code lock}.
 */
@Path("v1/kv")
@Produces(MediaType.APPLICATION_JSON)
public final class KvResource {
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,255}");
    static final int MAX_VALUE_BYTES = 64 * 1024;

    private final CellGateway cell;
    private final Access access;

    public KvResource(CellGateway cell, Access access) {
        this.cell = cell;
        this.access = access;
    }

    @GET
    @Path("{key: .+}")
    public CompletionStage<Registers.View> get(@PathParam("key") String key, @Context SecurityContext sc) {
        validKey(key);
        return access.require(Caller.of(sc), Permission.READ, "/" + key).thenCompose(ok -> cell.read(state -> state.register(key)))
            .thenApply(found -> found.map(r -> Views.register(key, r))
                .orElseThrow(() -> new ApiException(Problem.of(Response.Status.NOT_FOUND, "no-such-key", "no register named '" + key + "'"))));
    }

    @PUT
    @Path("{key: .+}")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Registers.Written> put(@PathParam("key") String key, Registers.PutRequest body,
                                          @HeaderParam(RequestId.CLIENT_HEADER) String client,
                                          @HeaderParam(RequestId.SEQUENCE_HEADER) String seq, @Context SecurityContext sc) {
        validKey(key);
        if (body == null || body.value() == null) throw ApiException.badRequest("missing-field", "the body must be {\"value\": \"...\"}");
        if (body.value().length() > MAX_VALUE_BYTES) {
            throw ApiException.badRequest("value-too-large", "value is over " + MAX_VALUE_BYTES + " bytes");
        }
        RequestId id = RequestId.fromHeaders(client, seq);
        return access.require(Caller.of(sc), Permission.LOCK, "/" + key)
            .thenCompose(ok -> cell.write(id, new CellCommand.Put(key, body.value()), CellGateway.REQUEST_TIMEOUT_MILLIS))
            .thenApply(r -> {
                if (r instanceof CellResult.Refused refused) throw new ApiException(Problems.refused(refused));
                CellResult.Written w = (CellResult.Written) r;
                return new Registers.Written(key, body.value(), w.revision(), Views.register(key, w.previous()));
            });
    }

    private static void validKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw ApiException.badRequest("invalid-key", "key '" + key + "' must be 1-256 characters of letters, digits, '.', '_', '/', '-', starting with a letter or digit");
        }
    }
}
