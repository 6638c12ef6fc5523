package io.warden.paxos;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a replica recovers from its {@link PaxosStorage} at start: the acceptor's promise, its
 * accepted values and the decided values above the snapshot, and the snapshot itself. Entries at or
 * below the snapshot's slot may or may not be present; the replica ignores them.
 */
public record DurableState(
    Ballot promised,
    NavigableMap<Long, Message.AcceptedEntry> accepted,
    NavigableMap<Long, Value> decided,
    Optional<Snapshot> snapshot) {

    public DurableState {
        accepted = Collections.unmodifiableNavigableMap(new TreeMap<>(accepted));
        decided = Collections.unmodifiableNavigableMap(new TreeMap<>(decided));
    }

    public static DurableState empty() {
        return new DurableState(Ballot.ZERO, new TreeMap<>(), new TreeMap<>(), Optional.empty());
    }
}
