package io.warden.paxos;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Everything applied through {@code lastSlot}, as bytes: the configuration, the exactly-once table
 * and the state machine's own snapshot (see {@link AppliedState#snapshot}). Replaces the log up to
 * {@code lastSlot} for compaction and for catching up a replica that is far behind.
 *
 * <p>A snapshot the replica takes itself is encoded when its bytes are asked for
 * ({@link #encodedLater}), usually by the storage's snapshot writer, off the replica's loop. The
 * core keeps no cache and takes no lock: the encoding must give equal bytes on every call, and a
 * driver that asks from several threads makes the state machine's part safe to share (the server's
 * {@code TimedSnapshots} encodes it once). Immutable.
 */
public final class Snapshot {
    private final long lastSlot;
    /** Each call returns a fresh array with the same content. */
    private final Supplier<byte[]> bytes;

    public Snapshot(long lastSlot, byte[] state) {
        this(lastSlot, copier(state.clone()));
    }

    private Snapshot(long lastSlot, Supplier<byte[]> bytes) {
        if (lastSlot < 0) throw new IllegalArgumentException("snapshot slot must be >= 0");
        this.lastSlot = lastSlot;
        this.bytes = bytes;
    }

    private static Supplier<byte[]> copier(byte[] kept) {
        return kept::clone;
    }

    /** A snapshot whose bytes {@code encoder} makes, on the asking thread, whenever they are asked for. */
    public static Snapshot encodedLater(long lastSlot, Supplier<byte[]> encoder) {
        return new Snapshot(lastSlot, encoder);
    }

    public long lastSlot() {
        return lastSlot;
    }

    public byte[] state() {
        return bytes.get();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && s.lastSlot == lastSlot && Arrays.equals(s.state(), state());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(lastSlot) * 31 + Arrays.hashCode(state());
    }

    @Override
    public String toString() {
        return "Snapshot[through slot " + lastSlot + "]";
    }
}
