package io.warden.server.http;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem detail, the body of every error answer ({@code application/problem+json}).
 * {@code type} is a stable URN clients can switch on; {@code extra} carries fields such as the
 * master's address.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extra) {
    public static final String MEDIA_TYPE = "application/problem+json";
    /** What a 429 or 503 asks the client to wait; clients add jitter so retries do not arrive together. */
    static final String RETRY_AFTER_SECONDS = "1";

    public Problem {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public static Problem of(Response.Status status, String type, String detail) {
        return new Problem("urn:warden:problem:" + type, status.getReasonPhrase(), status.getStatusCode(), detail, null);
    }

    public static Problem of(int status, String title, String type, String detail) {
        return new Problem("urn:warden:problem:" + type, title, status, detail, null);
    }

    public Problem with(String field, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(extra);
        m.put(field, value);
        return new Problem(type, title, status, detail, m);
    }

    @JsonAnyGetter
    public Map<String, Object> extraFields() {
        return extra;
    }

    /** The answer; a 429 or 503 ("not now") carries {@code Retry-After}. */
    public Response toResponse() {
        Response.ResponseBuilder b = Response.status(status).type(MEDIA_TYPE).entity(this);
        if (retryLater(status)) b.header("Retry-After", RETRY_AFTER_SECONDS);
        return b.build();
    }

    static boolean retryLater(int status) {
        return status == 429 || status == 503;
    }
}
