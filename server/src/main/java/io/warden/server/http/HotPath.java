package io.warden.server.http;

import com.codahale.metrics.Timer;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.warden.api.Locks;
import io.warden.api.Sessions;
import io.warden.server.security.Authenticator;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * The requests a lock client sends most (acquire, release, a session's KeepAlive and the batched
 * KeepAlive), served by a Jetty handler in front of the servlet context and Jersey: the same
 * authentication ({@link Authenticator}), body bound ({@link BodyLimit#MAX_BODY_BYTES}), JSON
 * mapper, resource methods, problems ({@link ProblemMappers}) and timers, without the servlet
 * layer and Jersey's per-request machinery (routing, request scope, injection, async resume,
 * response filters), which took most of a busy master's CPU (docs/benchmarks.md). Bodies are
 * read and answers written without blocking a thread. Every other request, and any of these in a
 * form this does not take (a query, a percent-encoded path, a body without a Content-Length or
 * over the bound, a body that is not JSON, an Accept header that may refuse JSON), goes on to the
 * servlet context: the refusals of form (406, 415, in Jersey's order) are Jersey's alone.
 */
final class HotPath extends Handler.Wrapper {
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

    HotPath(Authenticator authenticator, ProblemMappers problems, RequestTimer timers, LockResource locks, SessionResource sessions,
            Handler next) {
        super(next);
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
        CompletionStage<?> invoke(HttpFields headers, SecurityContext caller, byte[] body) throws IOException;
    }

    /** A request this serves: its call, its timer, and whether its body is read (JSON, as the resource method's @Consumes says). */
    private record Route(Call call, Timer timer, boolean readsBody) {}

    /**
     * Never blocks, so Jetty runs it on the thread that read the request (no hand-off to another
     * thread per request); the requests it does not serve are handed to the pool here, since the
     * servlet context behind it may block.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
        Route route = route(request);
        if (route != null) {
            serve(request, response, callback, route);
            return true;
        }
        try {
            getServer().getThreadPool().execute(() -> {
                try {
                    if (!super.handle(request, response, callback)) org.eclipse.jetty.server.Response.writeError(request, response, callback, 404);
                } catch (Throwable t) {
                    callback.failed(t);
                }
            });
        } catch (RuntimeException refused) { // the pool is stopping
            callback.failed(refused);
        }
        return true;
    }

    private Route route(Request request) {
        if (!"POST".equals(request.getMethod()) || request.getHttpURI().getQuery() != null) return null;
        long length = request.getLength(); // -1: none declared (chunked)
        String path = request.getHttpURI().getPath();
        Route route = switch (path) {
            case "/v1/locks/acquire" -> new Route((h, sc, body) -> locks.acquire(parse(body, Locks.AcquireRequest.class), clientId(h),
                sequence(h), sc), acquireTimer, true);
            case "/v1/locks/release" -> new Route((h, sc, body) -> locks.release(parse(body, Locks.HolderRequest.class), clientId(h),
                sequence(h), sc), releaseTimer, true);
            case "/v1/sessions/keepalive" -> new Route((h, sc, body) -> sessions.keepAliveAll(parse(body, Sessions.KeepAliveBatch.class),
                sc), keepAliveAllTimer, true);
            default -> {
                String id = sessionOfKeepAlive(path);
                // A single KeepAlive ignores whatever is sent with it, as Jersey does for this method.
                yield id == null ? null : new Route((h, sc, body) -> sessions.keepAlive(id, sc), keepAliveTimer, false);
            }
        };
        if (route == null) return null;
        if (route.readsBody() ? length < 0 || length > BodyLimit.MAX_BODY_BYTES : length != 0) return null;
        // Content negotiation is Jersey's: a body that is not JSON, or an answer the caller may not
        // take, goes on to it (415 or 406, in its order, before anything is done).
        HttpFields headers = request.getHeaders();
        String type = headers.get(HttpHeader.CONTENT_TYPE);
        if (route.readsBody() && type != null && !isJson(type)) return null;
        if (!acceptsJson(headers)) return null;
        return route;
    }

    private void serve(Request request, org.eclipse.jetty.server.Response response, Callback callback, Route route) {
        long started = System.nanoTime();
        HttpFields headers = request.getHeaders();
        EndPoint.SslSessionData tls = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        Authenticator.Outcome who = authenticator.authenticate(() -> request.getHttpURI().getPath(),
            headers.get(HttpHeader.AUTHORIZATION), tls == null ? null : tls.peerCertificates(), request.isSecure());
        if (who.refusal() != null) {
            write(response, callback, who.refusal());
            return;
        }
        if (!route.readsBody()) {
            invoke(response, callback, route, started, headers, who.context(), new byte[0]);
            return;
        }
        // The body is bounded by its declared length (checked in route); usually it came with the headers.
        Content.Source.asByteArrayAsync(request, BodyLimit.MAX_BODY_BYTES, Promise.Invocable.from(Invocable.InvocationType.NON_BLOCKING,
            body -> invoke(response, callback, route, started, headers, who.context(), body),
            callback::failed)); // the body could not be read: the client went away
    }

    private void invoke(org.eclipse.jetty.server.Response response, Callback callback, Route route, long started, HttpFields headers,
                        SecurityContext caller, byte[] body) {
        CompletionStage<?> answer;
        try {
            answer = CellGateway.answeringWithoutBlocking(() -> {
                try {
                    return route.call().invoke(headers, caller, body);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof JsonProcessingException unreadable) refuse(response, callback, route, started, unreadable);
            else callback.failed(e.getCause());
            return;
        } catch (RuntimeException e) {
            refuse(response, callback, route, started, e);
            return;
        }
        // The gateway completes these on its serial drain (a pool thread, or the loop after its turn): the write below never blocks.
        answer.whenComplete((value, error) -> {
            if (error != null) {
                write(response, callback, problems.toResponse(error));
            } else {
                writeJson(response, callback, 200, MediaType.APPLICATION_JSON, Map.of(), value);
            }
            route.timer().update(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        });
    }

    /** Answers a request its resource method (or this) refused, timed as Jersey did: after authentication. */
    private void refuse(org.eclipse.jetty.server.Response response, Callback callback, Route route, long started, Exception e) {
        write(response, callback, problems.toResponse(e));
        route.timer().update(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /** Writes a JAX-RS answer (a problem, or a refusal) as Jersey would: its status, headers and JSON entity. */
    private void write(org.eclipse.jetty.server.Response response, Callback callback, Response r) {
        MediaType type = r.getMediaType();
        writeJson(response, callback, r.getStatus(), type == null ? MediaType.APPLICATION_JSON : type.toString(), r.getStringHeaders(),
            r.getEntity());
    }

    /** Writes the whole answer at once, without blocking (a slow client holds no thread). */
    private void writeJson(org.eclipse.jetty.server.Response response, Callback callback, int status, String type,
                           Map<String, List<String>> extraHeaders, Object entity) {
        byte[] bytes;
        try {
            bytes = JsonMapper.MAPPER.writeValueAsBytes(entity);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        HttpFields.Mutable h = response.getHeaders();
        for (Map.Entry<String, List<String>> e : extraHeaders.entrySet()) {
            if (e.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) continue;
            for (String v : e.getValue()) h.add(e.getKey(), v);
        }
        h.put(new HttpField(HttpHeader.CONTENT_TYPE, type));
        h.put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        timers.countStatus(status);
    }

    private static <T> T parse(byte[] body, Class<T> type) throws IOException {
        return body.length == 0 ? null : JsonMapper.MAPPER.readValue(body, type);
    }

    private static String clientId(HttpFields h) {
        return h.get(RequestId.CLIENT_HEADER);
    }

    private static String sequence(HttpFields h) {
        return h.get(RequestId.SEQUENCE_HEADER);
    }

    /**
     * Whether the body is surely what Jersey's {@code @Consumes(application/json)} takes: application/json,
     * with or without parameters. Anything else (a +json type, which Jersey refuses; a wildcard,
     * which it takes) is left to Jersey to judge, so both paths answer alike.
     */
    private static boolean isJson(String contentType) {
        if (contentType.equalsIgnoreCase(MediaType.APPLICATION_JSON)) return true; // what the Warden client sends
        try {
            MediaType t = MediaType.valueOf(contentType);
            return t.getType().equalsIgnoreCase("application") && t.getSubtype().equalsIgnoreCase("json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether the caller surely takes application/json: no Accept, or one naming it, application/*
     * or {@code *}/{@code *} without parameters. Anything else (a q value, another type only) is
     * left to Jersey to judge.
     */
    private static boolean acceptsJson(HttpFields headers) {
        String accept = headers.get(HttpHeader.ACCEPT);
        if (accept == null || accept.equals(MediaType.APPLICATION_JSON)) return true; // what the Warden client sends
        for (String range : headers.getCSV(HttpHeader.ACCEPT, false)) {
            if (range.indexOf(';') >= 0) return false;
            String r = range.trim();
            if (r.equalsIgnoreCase(MediaType.APPLICATION_JSON) || r.equals("*/*") || r.equalsIgnoreCase("application/*")) return true;
        }
        return false;
    }

    /** The session id of {@code /v1/sessions/{id}/keepalive} (a plain segment), or null. */
    private static String sessionOfKeepAlive(String uri) {
        if (!uri.startsWith(SESSIONS) || !uri.endsWith(KEEPALIVE) || uri.length() <= SESSIONS.length() + KEEPALIVE.length()) return null;
        String id = uri.substring(SESSIONS.length(), uri.length() - KEEPALIVE.length());
        return id.indexOf('/') >= 0 || id.indexOf('%') >= 0 || id.indexOf(';') >= 0 ? null : id;
    }
}
