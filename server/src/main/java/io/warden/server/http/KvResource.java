package io.warden.server.http;

import io.warden.api.Permission;
import io.warden.server.security.Access;
import io.warden.server.security.Caller;
import io.warden.api.Registers;
import io.warden.server.cell.CellCommand;
import io.warden.server.cell.CellResult;
import io.warden.server.replica.ReplicaLoop;
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
import java.util.concurrent.atomic.AtomicLong;
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
    private static final long WRITE_TIMEOUT_MILLIS = 10_000;

    private final ReplicaLoop loop;
    private final Access access;
    private final Deadlines deadlines;
    private final long anonymousClient;
    private final AtomicLong anonymousSequence = new AtomicLong();

    public KvResource(ReplicaLoop loop, Access access, Deadlines deadlines, long anonymousClient) {
        this.loop = loop;
        this.deadlines = deadlines;
        this.access = access;
        this.anonymousClient = anonymousClient;
    }

    @GET
    @Path("{key: .+}")
    public CompletionStage<Registers.View> get(@PathParam("key") String key, @Context SecurityContext sc) {
        validKey(key);
        return deadlines.within(access.require(Caller.of(sc), Permission.READ, "/" + key).thenCompose(ok -> loop.read(state -> state.register(key))),
                WRITE_TIMEOUT_MILLIS)
            .thenApply(found -> found.map(r -> Views.register(key, r))
                .orElseThrow(() -> new ApiException(Problem.of(Response.Status.NOT_FOUND, "no-such-key", "no register named '" + key + "'"))));
    }

    @PUT
    @Path("{key: .+}")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Registers.Written> put(@PathParam("key") String key, Registers.PutRequest body,
                                          @HeaderParam("Warden-Client-Id") String clientHeader,
                                          @HeaderParam("Warden-Request-Seq") String seqHeader, @Context SecurityContext sc) {
        validKey(key);
        if (body == null || body.value() == null) throw ApiException.badRequest("missing-field", "the body must be {\"value\": \"...\"}");
        if (body.value().length() > MAX_VALUE_BYTES) {
            throw ApiException.badRequest("value-too-large", "value is over " + MAX_VALUE_BYTES + " bytes");
        }
        long client = clientHeader == null ? anonymousClient : positive("Warden-Client-Id", clientHeader);
        long givenSeq = clientHeader == null ? 0 : seqHeader == null ? missingSeq() : positive("Warden-Request-Seq", seqHeader);
        return deadlines.within(access.require(Caller.of(sc), Permission.LOCK, "/" + key).thenCompose(ok -> {
            if (givenSeq != 0) return loop.submit(client, givenSeq, new CellCommand.Put(key, body.value()));
            // Anonymous sequences must reach the loop in order (see CellGateway.write): assign and submit at once.
            synchronized (anonymousSequence) {
                return loop.submit(client, anonymousSequence.incrementAndGet(), new CellCommand.Put(key, body.value()));
            }
        }), WRITE_TIMEOUT_MILLIS).thenApply(r -> {
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

    private static long missingSeq() {
        throw ApiException.badRequest("missing-header", "Warden-Client-Id needs Warden-Request-Seq beside it");
    }

    private static long positive(String header, String value) {
        try {
            long v = Long.parseLong(value.trim());
            if (v > 0) return v;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("invalid-header", header + " must be a positive integer, got '" + value + "'");
    }
}
