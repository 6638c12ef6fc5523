package io.warden.paxos;

/**
 * Where a replica keeps what must survive a crash: its acceptor's promise and accepted values, the
 * values it learned decided, and its latest snapshot. Adapters: {@code InMemoryPaxosStorage} (for
 * simulation; a simulated crash loses what was not synced) and {@code storage.DurablePaxosStorage}
 * (a write-ahead log plus snapshot files).
 *
 * <p>Contract: the {@code persist*} calls are cheap and buffer; nothing is durable until
 * {@link #sync()} returns, and then everything persisted before it is. The replica never sends a
 * reply that depends on a persisted write before the driver has called {@code sync()} (see
 * {@link Ready#syncRequired()}). Writes become durable in the order they were made: a crash keeps a
 * prefix of them. Called from one thread only; failures are I/O errors the replica cannot recover
 * from, thrown as unchecked exceptions (the process must stop rather than answer).
 */
public interface PaxosStorage {
    /** What survived: everything synced before the last crash or shutdown. Called once, at start. */
    DurableState recover();

    void persistPromise(Ballot promised);

    void persistAccepted(long slot, Ballot ballot, Value value);

    /** A slot learned decided. Needs no sync of its own: a lost decision is learned again. */
    void persistDecided(long slot, Value value);

    /**
     * Takes {@code snapshot} as the state through {@code snapshot.lastSlot()}; afterwards, entries
     * for slots up to it may be discarded. The storage may make it durable later (off the caller's
     * thread), but never drops what it replaces before: a crash in between recovers from the
     * previous snapshot and the log.
     */
    void persistSnapshot(Snapshot snapshot);

    /** Blocks until every write made before the call is durable. */
    void sync();
}
