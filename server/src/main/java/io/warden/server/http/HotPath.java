package io.warden.server.http;

import com.codahale.metrics.Timer;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.warden.api.Locks;
import io.warden.api.Sessions;
import io.warden.server.security.Authenticator;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The requests a lock client sends most (acquire, release, a session's KeepAlive and the batched
 * KeepAlive), served in front of Jersey: the same authentication ({@link Authenticator}), body
 * bound ({@link BodyLimit}), JSON mapper, resource methods, problems ({@link ProblemMappers}) and
 * timers, without Jersey's per-request machinery (routing, request scope, injection, async
 * resume, response filters), which took about 60 % of a busy master's CPU (docs/benchmarks.md).
 * Every other request, and any of these in a form this does not take (a percent-encoded path),
 * goes on to Jersey.
 */
final class HotPath implements Filter {
    private static final String SESSIONS = "/v1/sessions/";
    private static final String KEEPALIVE = "/keepalive";

    private final Authenticator authenticator;
    private final ProblemMappers problems;
    private final RequestTimer timers;
    private final LockResource locks;
    private final SessionResource sessions;
    private final Timer acquireTimer;
    private final Timer releaseTimer;
    private final Timer keepAliveTimer;
    private final Timer keepAliveAllTimer;

    HotPath(Authenticator authenticator, ProblemMappers problems, RequestTimer timers, LockResource locks, SessionResource sessions) {
        this.authenticator = authenticator;
        this.problems = problems;
        this.timers = timers;
        this.locks = locks;
        this.sessions = sessions;
        this.acquireTimer = timers.timerFor(LockResource.class, "acquire");
        this.releaseTimer = timers.timerFor(LockResource.class, "release");
        this.keepAliveTimer = timers.timerFor(SessionResource.class, "keepAlive");
        this.keepAliveAllTimer = timers.timerFor(SessionResource.class, "keepAliveAll");
    }

    /** One request this serves: what it calls, given the caller and the body's bytes. */
    private interface Call {
        CompletionStage<?> invoke(HttpServletRequest request, SecurityContext caller, byte[] body) throws IOException;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String uri = request.getRequestURI();
        Call call = null;
        Timer timer = null;
        boolean hasBody = true; // a JSON body, as the resource method's @Consumes says
        if ("POST".equals(request.getMethod()) && request.getQueryString() == null) {
            switch (uri) {
                case "/v1/locks/acquire" -> {
                    call = (r, sc, body) -> locks.acquire(parse(body, Locks.AcquireRequest.class), clientId(r), sequence(r), sc);
                    timer = acquireTimer;
                }
                case "/v1/locks/release" -> {
                    call = (r, sc, body) -> locks.release(parse(body, Locks.HolderRequest.class), clientId(r), sequence(r), sc);
                    timer = releaseTimer;
                }
                case "/v1/sessions/keepalive" -> {
                    call = (r, sc, body) -> sessions.keepAliveAll(parse(body, Sessions.KeepAliveBatch.class), sc);
                    timer = keepAliveAllTimer;
                }
                default -> {
                    String id = sessionOfKeepAlive(uri);
                    if (id != null) {
                        call = (r, sc, body) -> sessions.keepAlive(id, sc);
                        timer = keepAliveTimer;
                        hasBody = false; // whatever is sent is ignored, as Jersey does for this method
                    }
                }
            }
        }
        if (call == null) {
            chain.doFilter(req, res);
            return;
        }
        serve(request, response, call, timer, hasBody);
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, Call call, Timer timer, boolean hasBody)
        throws IOException {
        long started = System.nanoTime();
        CompletionStage<?> answer;
        try {
            Authenticator.Outcome who = authenticator.authenticate(request::getRequestURI, request.getHeader(HttpHeaders.AUTHORIZATION),
                request.getAttribute(Authenticator.CERTIFICATES_ATTRIBUTE), request.isSecure());
            if (who.refusal() != null) {
                write(response, who.refusal());
                return;
            }
            byte[] body = new byte[0];
            if (hasBody) {
                String type = request.getContentType();
                if (type != null && !isJson(type)) {
                    throw new ApiException(Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                        "the body must be application/json, not " + type));
                }
                body = BodyLimit.read(request.getInputStream(), request.getHeader(HttpHeaders.CONTENT_LENGTH));
            }
            answer = call.invoke(request, who.context(), body);
        } catch (JsonProcessingException | RuntimeException e) {
            write(response, problems.toResponse(e));
            timer.update(System.nanoTime() - started, TimeUnit.NANOSECONDS); // timed as Jersey did: after authentication
            return;
        } catch (IOException e) {
            return; // the body could not be read: the client went away
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // the gateway bounds every wait
        // The gateway completes on the response pool, never on the replica loop's thread.
        answer.whenComplete((value, error) -> {
            try {
                if (error != null) write(response, problems.toResponse(error)); else writeJson(response, 200, MediaType.APPLICATION_JSON, value);
                timer.update(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            } catch (IOException | RuntimeException e) {
                // the client went away: nothing to answer
            } finally {
                async.complete();
            }
        });
    }

    /** Writes a JAX-RS answer (a problem, or a refusal) as Jersey would: its status, headers and JSON entity. */
    private void write(HttpServletResponse response, Response r) throws IOException {
        for (Map.Entry<String, List<String>> h : r.getStringHeaders().entrySet()) {
            if (h.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) continue;
            for (String v : h.getValue()) response.addHeader(h.getKey(), v);
        }
        MediaType type = r.getMediaType();
        writeJson(response, r.getStatus(), type == null ? MediaType.APPLICATION_JSON : type.toString(), r.getEntity());
    }

    private void writeJson(HttpServletResponse response, int status, String type, Object entity) throws IOException {
        byte[] bytes = JsonMapper.MAPPER.writeValueAsBytes(entity);
        response.setStatus(status);
        response.setContentType(type);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        timers.countStatus(status);
    }

    private static <T> T parse(byte[] body, Class<T> type) throws IOException {
        return body.length == 0 ? null : JsonMapper.MAPPER.readValue(body, type);
    }

    private static String clientId(HttpServletRequest r) {
        return r.getHeader(RequestId.CLIENT_HEADER);
    }

    private static String sequence(HttpServletRequest r) {
        return r.getHeader(RequestId.SEQUENCE_HEADER);
    }

    /** application/json or any +json type, with or without parameters. */
    private static boolean isJson(String contentType) {
        try {
            MediaType t = MediaType.valueOf(contentType);
            return t.getType().equalsIgnoreCase("application")
                && (t.getSubtype().equalsIgnoreCase("json") || t.getSubtype().toLowerCase().endsWith("+json"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The session id of {@code /v1/sessions/{id}/keepalive} (a plain segment), or null. */
    private static String sessionOfKeepAlive(String uri) {
        if (!uri.startsWith(SESSIONS) || !uri.endsWith(KEEPALIVE) || uri.length() <= SESSIONS.length() + KEEPALIVE.length()) return null;
        String id = uri.substring(SESSIONS.length(), uri.length() - KEEPALIVE.length());
        return id.indexOf('/') >= 0 || id.indexOf('%') >= 0 || id.indexOf(';') >= 0 ? null : id;
    }
}
