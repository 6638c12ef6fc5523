package io.warden.paxos;

import java.util.function.Supplier;

/**
 * The replicated application, driven by the core. Port contract:
 * <ul>
 *   <li>Deterministic: the same commands in the same order give the same results and the same
 *       snapshot bytes on every replica. No clocks, randomness or I/O; time, if needed, travels
 *       inside commands.</li>
 *   <li>Called only from the thread that drives the replica; never concurrently.</li>
 *   <li>{@link #apply} is called once per decided command, in slot order, after the core has
 *       filtered retried duplicates (the core's exactly-once table travels in snapshots beside
 *       the bytes returned by {@link #snapshot}).</li>
 *   <li>It must not throw: a command it cannot apply is answered with an error result.</li>
 * </ul>
 */
public interface StateMachine {
    /** Applies one command decided in {@code slot}; returns the result the client will see. */
    byte[] apply(long slot, Command command);

    /**
     * The whole state right after the last applied command, for a snapshot: captured now, encoded
     * when the returned supplier is called, later and possibly on another thread (the storage's
     * snapshot writer), so that a large state does not stall the replica's loop. The capture must
     * not see later applies, and every call must return the same bytes.
     */
    Supplier<byte[]> snapshot();

    /** Replaces the whole state with one produced by {@link #snapshot}. */
    void restore(byte[] snapshot);
}
