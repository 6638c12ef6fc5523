package io.warden.paxos;

import java.util.Arrays;

/**
 * Everything applied through {@code lastSlot}, as bytes: the configuration, the exactly-once table
 * and the state machine's own snapshot (see {@link AppliedState#snapshot}). Replaces the log up to
 * {@code lastSlot} for compaction and for catching up a replica that is far behind.
 */
public record Snapshot(long lastSlot, byte[] state) {
    public Snapshot {
        if (lastSlot < 0) throw new IllegalArgumentException("snapshot slot must be >= 0");
        state = state.clone();
    }

    @Override
    public byte[] state() {
        return state.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && s.lastSlot == lastSlot && Arrays.equals(s.state, state);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(lastSlot) * 31 + Arrays.hashCode(state);
    }

    @Override
    public String toString() {
        return "Snapshot[through slot " + lastSlot + ", " + state.length + " bytes]";
    }
}
