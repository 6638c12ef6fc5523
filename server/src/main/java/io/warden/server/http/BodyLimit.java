package io.warden.server.http;

import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Refuses a request body over {@link #MAX_BODY_BYTES} with 413 {@code body-too-large}, before it
 * is parsed, whether it declares a Content-Length or arrives chunked. Applies to resources marked
 * {@link Bounded}: the lock service's bodies are small (a lock value is at most a few KiB).
 */
@BodyLimit.Bounded // a name-bound interceptor carries its binding too; without it, it would bind to every resource
public final class BodyLimit implements ReaderInterceptor {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** An over-size body up to this size is read and discarded, so its sender gets the 413. */
    private static final long DRAIN_LIMIT_BYTES = 4L << 20;

    /** Marks a resource class or method whose request bodies {@link BodyLimit} bounds. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    public @interface Bounded {}

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException, WebApplicationException {
        byte[] body = read(context.getInputStream(), context.getHeaders().getFirst("Content-Length"));
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    /**
     * Reads a whole request body of at most {@link #MAX_BODY_BYTES}, or throws the 413; {@code
     * declaredLength} is the Content-Length header (null when chunked).
     */
    static byte[] read(InputStream in, String declaredLength) throws IOException {
        if (declaredLength != null) {
            try {
                if (Long.parseLong(declaredLength.trim()) > DRAIN_LIMIT_BYTES) throw tooLarge(); // too big to even drain
            } catch (NumberFormatException e) {
                // Jetty has already refused a malformed Content-Length; count the bytes regardless
            }
        }
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            // Read the rest (up to a bound) before answering: a client still sending when the
            // connection closes would see no answer at all instead of the 413.
            long drained = body.length;
            while (drained < DRAIN_LIMIT_BYTES) {
                long skipped = in.skip(DRAIN_LIMIT_BYTES - drained);
                if (skipped <= 0 && in.read() < 0) break;
                drained += Math.max(skipped, 1);
            }
            throw tooLarge();
        }
        return body;
    }

    private static ApiException tooLarge() {
        return new ApiException(Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large",
            "a request body is at most " + MAX_BODY_BYTES + " bytes"));
    }
}
