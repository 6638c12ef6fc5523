package io.warden.paxos;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Everything applied through {@code lastSlot}, as bytes: the configuration, the exactly-once table
 * and the state machine's own snapshot (see {@link AppliedState#snapshot}). Replaces the log up to
 * {@code lastSlot} for compaction and for catching up a replica that is far behind.
 *
 * <p>A snapshot the replica takes itself is encoded on first use ({@link #encodedLater}), usually
 * by the storage's snapshot writer, off the replica's loop. Immutable and thread-safe.
 */
public final class Snapshot {
    private final long lastSlot;
    private Supplier<byte[]> encoder; // guarded by this; null once encoded
    private byte[] state;             // guarded by this

    public Snapshot(long lastSlot, byte[] state) {
        this(lastSlot, null, state.clone());
    }

    private Snapshot(long lastSlot, Supplier<byte[]> encoder, byte[] state) {
        if (lastSlot < 0) throw new IllegalArgumentException("snapshot slot must be >= 0");
        this.lastSlot = lastSlot;
        this.encoder = encoder;
        this.state = state;
    }

    /** A snapshot whose bytes {@code encoder} makes when first asked for, on the asking thread. */
    public static Snapshot encodedLater(long lastSlot, Supplier<byte[]> encoder) {
        return new Snapshot(lastSlot, encoder, null);
    }

    public long lastSlot() {
        return lastSlot;
    }

    public byte[] state() {
        return bytes().clone();
    }

    private synchronized byte[] bytes() {
        if (state == null) {
            state = encoder.get();
            encoder = null;
        }
        return state;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && s.lastSlot == lastSlot && Arrays.equals(s.bytes(), bytes());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(lastSlot) * 31 + Arrays.hashCode(bytes());
    }

    @Override
    public synchronized String toString() {
        return "Snapshot[through slot " + lastSlot + (state == null ? ", not encoded yet]" : ", " + state.length + " bytes]");
    }
}
