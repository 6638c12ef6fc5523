package io.warden.jepsen.checker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A checker's verdict, as Jepsen writes {@code :valid?}: {@code true}, {@code false}, or
 * {@code "unknown"} when the checker could not decide (e.g. its search budget ran out). Unknown is
 * never reported as valid.
 */
public enum Validity {
    VALID, INVALID, UNKNOWN;

    /** JSON: {@code true}, {@code false} or {@code "unknown"}. */
    @JsonValue
    public Object json() {
        return switch (this) {
            case VALID -> Boolean.TRUE;
            case INVALID -> Boolean.FALSE;
            case UNKNOWN -> "unknown";
        };
    }

    /** Reads {@link #json()} back. */
    @JsonCreator
    public static Validity fromJson(Object json) {
        if (Boolean.TRUE.equals(json)) {
            return VALID;
        }
        if (Boolean.FALSE.equals(json)) {
            return INVALID;
        }
        if ("unknown".equals(json)) {
            return UNKNOWN;
        }
        throw new IllegalArgumentException("not a validity: " + json);
    }

    /** The verdict over parts: invalid if any is, else unknown if any is, else valid. */
    public Validity and(Validity other) {
        if (this == INVALID || other == INVALID) {
            return INVALID;
        }
        return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : VALID;
    }
}
