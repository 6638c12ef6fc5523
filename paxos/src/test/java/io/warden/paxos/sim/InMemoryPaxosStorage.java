package io.warden.paxos.sim;

import io.warden.paxos.Ballot;
import io.warden.paxos.DurableState;
import io.warden.paxos.Message;
import io.warden.paxos.PaxosStorage;
import io.warden.paxos.Snapshot;
import io.warden.paxos.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link PaxosStorage} in memory, for simulation: writes queue up until synced, and a simulated
 * crash ({@link #crash()}) throws away whatever was not synced, exactly as a power cut loses a page
 * cache. The driver may sync only up to a mark taken earlier ({@link #mark()}, {@link #syncThrough}),
 * which is how the simulator models an fsync that takes time while the replica goes on.
 */
public final class InMemoryPaxosStorage implements PaxosStorage {
    private sealed interface Write {}
    private record PromiseWrite(Ballot ballot) implements Write {}
    private record AcceptWrite(long slot, Ballot ballot, Value value) implements Write {}
    private record DecideWrite(long slot, Value value) implements Write {}

    private Ballot promised = Ballot.ZERO;
    private final TreeMap<Long, Message.AcceptedEntry> accepted = new TreeMap<>();
    private final TreeMap<Long, Value> decided = new TreeMap<>();
    private Snapshot snapshot;
    private final List<Write> unsynced = new ArrayList<>();
    private long writesMade;
    private long writesSynced;

    @Override
    public DurableState recover() {
        return new DurableState(promised, accepted, decided, Optional.ofNullable(snapshot));
    }

    @Override
    public void persistPromise(Ballot b) {
        add(new PromiseWrite(b));
    }

    @Override
    public void persistAccepted(long slot, Ballot ballot, Value value) {
        add(new AcceptWrite(slot, ballot, value));
    }

    @Override
    public void persistDecided(long slot, Value value) {
        add(new DecideWrite(slot, value));
    }

    @Override
    public void persistSnapshot(Snapshot s) {
        sync(); // a snapshot is written after the writes before it, and synced on its own
        snapshot = s;
        accepted.headMap(s.lastSlot(), true).clear();
        decided.headMap(s.lastSlot(), true).clear();
    }

    @Override
    public void sync() {
        syncThrough(writesMade);
    }

    /** How many writes have been made; pass it to {@link #syncThrough} later. */
    public long mark() {
        return writesMade;
    }

    /** Makes durable the writes made before {@code mark} was taken (and no later ones). */
    public void syncThrough(long mark) {
        while (writesSynced < mark && !unsynced.isEmpty()) {
            Write w = unsynced.remove(0);
            writesSynced++;
            long floor = snapshot == null ? 0 : snapshot.lastSlot();
            if (w instanceof PromiseWrite p) {
                promised = p.ballot();
            } else if (w instanceof AcceptWrite a && a.slot() > floor) {
                accepted.put(a.slot(), new Message.AcceptedEntry(a.slot(), a.ballot(), a.value(), false));
            } else if (w instanceof DecideWrite d && d.slot() > floor) {
                decided.put(d.slot(), d.value());
            }
        }
    }

    /** A power cut: every write not yet synced is gone. */
    public void crash() {
        writesSynced += unsynced.size();
        writesMade = writesSynced;
        unsynced.clear();
    }

    private void add(Write w) {
        unsynced.add(w);
        writesMade++;
    }
}
