package io.warden.api;

/** Wire records of {@code /v1/kv}: registers, small named values outside the lock namespace. */
public final class Registers {
    private Registers() {}

    /** {@code PUT /v1/kv/{key}}: the new value (required). */
    public record PutRequest(String value) {}

    /** {@code GET /v1/kv/{key}}: the value and its revision (the event index of its last write). */
    public record View(String key, String value, long revision) {}

    /** A {@code PUT}'s answer: the value written, its revision, and the register it replaced (null: none). */
    public record Written(String key, String value, long revision, View previous) {}
}
