package io.warden.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Exclusive (writer) or shared (reader) mode; on the wire "exclusive" / "shared". */
public enum LockMode {
    EXCLUSIVE, SHARED;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static LockMode fromWire(String s) {
        if (s == null) return EXCLUSIVE;
        return switch (s) {
            case "exclusive" -> EXCLUSIVE;
            case "shared" -> SHARED;
            default -> throw new IllegalArgumentException("mode must be 'exclusive' or 'shared', got '" + s + "'");
        };
    }
}
