package io.warden.jepsen.history;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Jepsen's operation types. A client process {@link #INVOKE}s an operation and then completes it
 * with exactly one of the other three:
 * <ul>
 *   <li>{@link #OK}: it took effect, once, somewhere between its invoke and this completion;</li>
 *   <li>{@link #FAIL}: it certainly did not take effect;</li>
 *   <li>{@link #INFO}: indeterminate (a timeout, a crash): it may take effect at any time after its
 *       invoke, or never. The process is retired: it never invokes again.</li>
 * </ul>
 */
public enum OpType {
    INVOKE, OK, FAIL, INFO;

    /** The wire name, as in Jepsen: {@code invoke}, {@code ok}, {@code fail}, {@code info}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name (case-insensitive); throws {@link IllegalArgumentException} if unknown. */
    @JsonCreator
    public static OpType fromWireName(String name) {
        for (OpType t : values()) {
            if (t.wireName().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown op type: " + name);
    }

    /** True for the three completion types. */
    public boolean isCompletion() {
        return this != INVOKE;
    }
}
