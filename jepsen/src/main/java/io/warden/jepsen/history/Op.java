package io.warden.jepsen.history;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of a history, with Jepsen's field names: an invocation or a completion of an operation
 * by one client process.
 *
 * <ul>
 *   <li>{@code process}: the client process (&ge; 0). A process runs one operation at a time and is
 *       never reused after an {@link OpType#INFO} completion.</li>
 *   <li>{@code type}: {@code invoke | ok | fail | info} (see {@link OpType}).</li>
 *   <li>{@code f}: what was done, e.g. {@code acquire}, {@code read}, {@code cas} (see
 *       {@link Functions}); letters, digits, {@code -} and {@code _}, so that it is an EDN keyword.</li>
 *   <li>{@code key}: what it was done to (a lock, register, election or group name), or null.</li>
 *   <li>{@code value}: a JSON value (see {@link JsonValues}): for a grant its fencing token, for
 *       {@code cas} {@code [expected, new]}, for a read the value read (null: never written).</li>
 *   <li>{@code time}: nanoseconds since the run started (&ge; 0).</li>
 *   <li>extras, omitted from JSON when null: {@code session} (the session id the op ran under) and
 *       {@code error} (why a {@code fail} or {@code info} happened).</li>
 * </ul>
 *
 * <p>Immutable; {@code value} is normalized on construction (integers become {@code Long}, lists and
 * maps unmodifiable copies), so equal JSON gives equal ops.
 */
@JsonPropertyOrder({"process", "type", "f", "key", "value", "time", "session", "error"})
public record Op(int process, OpType type, String f, String key, Object value, long time,
                 @JsonInclude(JsonInclude.Include.NON_NULL) Long session,
                 @JsonInclude(JsonInclude.Include.NON_NULL) String error) {

    private static final Pattern F_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    public Op {
        if (process < 0) {
            throw new IllegalArgumentException("process must be >= 0: " + process);
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(f, "f");
        if (!F_NAME.matcher(f).matches()) {
            throw new IllegalArgumentException("f must be letters, digits, '-' or '_': " + f);
        }
        if (time < 0) {
            throw new IllegalArgumentException("time must be >= 0: " + time);
        }
        value = JsonValues.normalize(value);
    }

    /** An op without extras. */
    public Op(int process, OpType type, String f, String key, Object value, long time) {
        this(process, type, f, key, value, time, null, null);
    }

    /** True if this is an invocation. */
    @JsonIgnore
    public boolean isInvoke() {
        return type == OpType.INVOKE;
    }

    /** {@code value} as a long; throws {@link IllegalArgumentException} if it is not an integer. */
    public long longValue() {
        if (value instanceof Long l) {
            return l;
        }
        throw new IllegalArgumentException("expected an integer value in " + this);
    }
}
