package io.warden.jepsen.checker;

import io.warden.jepsen.history.Call;

/**
 * A register operation prepared for the search: its kind, its arguments as interned value ids
 * (see {@link RegisterModel}), and whether the search must linearize it ({@code ok}) or may leave
 * it out ({@code info}: it may never have happened).
 */
record RegisterOp(Call call, Kind kind, int expected, int written, boolean required) {

    /** What the op does to a register. */
    enum Kind {
        /** An ok read: {@code expected} is the value it returned. */
        READ,
        /** A write of {@code written}. */
        WRITE,
        /** Compare-and-set: if the register holds {@code expected}, it becomes {@code written}. */
        CAS
    }
}
