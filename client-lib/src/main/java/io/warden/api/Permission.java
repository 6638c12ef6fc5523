package io.warden.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an ACL entry grants, each level including the ones before it: {@code none} ⊂ {@code read}
 * (inspect, list, watch) ⊂ {@code lock} (acquire, release, set values, join and leave groups) ⊂
 * {@code admin} (break locks, end others' sessions, change ACLs, read the audit trail). On the
 * wire in lower case. {@code none} exists to take away, below a prefix, what is granted above it.
 */
public enum Permission {
    NONE, READ, LOCK, ADMIN;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    /** Whether this level includes {@code needed}. */
    public boolean includes(Permission needed) {
        return compareTo(needed) >= 0;
    }

    @JsonCreator
    public static Permission fromWire(String s) {
        for (Permission p : values()) if (p.wire().equals(s)) return p;
        throw new IllegalArgumentException("permission must be one of none, read, lock, admin; got '" + s + "'");
    }
}
