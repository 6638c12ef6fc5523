package io.warden.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.warden.server.config.Member;
import io.warden.server.replica.NotMasterException;
import io.warden.server.replica.OverloadedException;
import io.warden.server.replica.SessionGoneException;
import io.warden.server.replica.UnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns every failure into {@code application/problem+json}: the caller's
 * mistakes are 4xx naming the problem, "ask the master" is 421 with its address, "not now" is 503
 * with Retry-After (so is "too much load", {@code overloaded}, naming the limit), and only a bug
 * in Warden is a 500.
 */
public final class ProblemMappers implements ExceptionMapper<Throwable> {
    private static final Logger log = LoggerFactory.getLogger(ProblemMappers.class);
    private final IntFunction<Member> members;

    public ProblemMappers(IntFunction<Member> members) {
        this.members = members;
    }

    @Override
    public Response toResponse(Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (e instanceof ApiException a) return a.problem().toResponse();
        if (e instanceof NotMasterException n) return notMaster(n);
        if (e instanceof SessionGoneException g) {
            return Problem.of(Response.Status.NOT_FOUND, "session-expired", g.getMessage()).with("session", g.session()).toResponse();
        }
        if (e instanceof OverloadedException o) {
            return Problem.of(503, "Service Unavailable", "overloaded", o.getMessage()).with("limit", o.limit()).toResponse();
        }
        if (e instanceof UnavailableException u) return Problem.of(503, "Service Unavailable", "unavailable", u.getMessage()).toResponse();
        if (e instanceof TimeoutException) {
            return Problem.of(503, "Service Unavailable", "timeout",
                "no answer in time; a write's outcome is unknown: retry it with the same request id").toResponse();
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return Problem.of(Response.Status.BAD_REQUEST, "unknown-field", "unknown field '" + u.getPropertyName()
                + "'; known fields: " + u.getKnownPropertyIds()).toResponse();
        }
        if (e instanceof JsonProcessingException j) {
            return Problem.of(Response.Status.BAD_REQUEST, "malformed-json", "the body is not valid JSON for this request: "
                + j.getOriginalMessage()).toResponse();
        }
        if (e instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            String title = w.getResponse().getStatusInfo().getReasonPhrase();
            return Problem.of(status, title, title.toLowerCase().replace(' ', '-'), w.getMessage()).toResponse();
        }
        log.error("unexpected failure answering a request", e);
        return Problem.of(500, "Internal Server Error", "internal", "an unexpected error in Warden; it has been logged").toResponse();
    }

    private Response notMaster(NotMasterException n) {
        Member master = n.masterId() == 0 ? null : members.apply(n.masterId());
        if (master == null) return Problem.of(503, "Service Unavailable", "no-master", n.getMessage()).toResponse();
        Problem p = Problem.of(421, "Misdirected Request", "not-master", n.getMessage())
            .with("masterId", master.id()).with("master", master.clientUrl());
        return Response.fromResponse(p.toResponse()).header("Location", master.clientUrl()).build();
    }
}
