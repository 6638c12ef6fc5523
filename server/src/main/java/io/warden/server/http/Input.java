package io.warden.server.http;

import io.warden.api.LockMode;
import io.warden.server.cell.Names;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;

/**
 * Checks on request fields and parameters, made before anything is proposed. Each failure is an
 * {@link ApiException} whose problem names the field ({@code "field": "session"}), so a client can
 * tell which of its inputs to fix. The cell state checks again when it applies a command.
 */
final class Input {
    private Input() {}

    static <T> T required(T value, String field) {
        if (value == null) throw problem(400, "missing-field", field, "'" + field + "' is required");
        return value;
    }

    /** A lock or group name ("/orders/primary"). */
    static String path(String name, String field) {
        required(name, field);
        String bad = Names.problemWithPath(name);
        if (bad != null) throw problem(400, "invalid-name", field, field + " '" + name + "': " + bad);
        return name;
    }

    static String member(String member, String field) {
        required(member, field);
        String bad = Names.problemWithMember(member);
        if (bad != null) throw problem(400, "invalid-name", field, field + " '" + member + "': " + bad);
        return member;
    }

    static long positiveId(Long id, String field) {
        required(id, field);
        if (id <= 0) throw problem(400, "invalid-field", field, field + " must be a positive integer, got " + id);
        return id;
    }

    /** "exclusive" (also when absent) or "shared". */
    static LockMode mode(String mode) {
        if (mode == null || mode.equals("exclusive")) return LockMode.EXCLUSIVE;
        if (mode.equals("shared")) return LockMode.SHARED;
        throw problem(400, "invalid-mode", "mode", "mode must be 'exclusive' or 'shared', got '" + mode + "'");
    }

    /** {@code value} (or {@code fallback} when absent), which must lie in [0, max]. */
    static long millis(Long value, long fallback, long max, String field, String tooLargeType) {
        long v = value == null ? fallback : value;
        if (v < 0) throw problem(400, "invalid-field", field, field + " must be >= 0, got " + v);
        if (v > max) throw problem(400, tooLargeType, field, field + " is at most " + max + ", got " + v);
        return v;
    }

    /** A text field of at most {@code maxBytes} bytes of UTF-8; over it is a 413 of {@code type}. */
    static String bounded(String text, int maxBytes, String field, String type) {
        if (text != null && text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw problem(413, type, field, field + " is at most " + maxBytes + " bytes of UTF-8");
        }
        return text;
    }

    /** An integer query or path parameter in [min, max], or {@code fallback} when absent. */
    static long parameter(String raw, String name, long fallback, long min, long max) {
        if (raw == null || raw.isEmpty()) return fallback;
        long v;
        try {
            v = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw problem(400, "invalid-parameter", name, name + " must be an integer, got '" + raw + "'");
        }
        if (v < min || v > max) throw problem(400, "invalid-parameter", name, name + " must be in [" + min + ", " + max + "], got " + v);
        return v;
    }

    static long requiredParameter(String raw, String name, long min, long max) {
        if (raw == null || raw.isEmpty()) throw problem(400, "missing-field", name, "query parameter '" + name + "' is required");
        return parameter(raw, name, 0, min, max);
    }

    /** A lock-name prefix for listings and filters ("/" or a name, optionally ending in '/'). */
    static String prefix(String prefix, String field) {
        String bad = Names.problemWithPrefix(prefix);
        if (bad != null) throw problem(400, "invalid-name", field, field + " '" + prefix + "': " + bad);
        return prefix;
    }

    static ApiException problem(int status, String type, String field, String detail) {
        return new ApiException(Problem.of(Response.Status.fromStatusCode(status), type, detail).with("field", field));
    }
}
