package io.warden.paxos.storage;

import io.warden.paxos.Ballot;
import io.warden.paxos.DurableState;
import io.warden.paxos.Message;
import io.warden.paxos.SlotMap;
import io.warden.paxos.Snapshot;
import io.warden.paxos.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The persisted facts no snapshot covers yet: the latest promise and the accepted and decided
 * values above the snapshot's slot. Built by replaying the log at open and kept up to date by every
 * persist call, so compaction can rewrite it at the head of a fresh segment without reading the
 * old segments back. Later records win, as in a replay. Not thread-safe: the owner locks.
 */
final class LiveState {
    private record AcceptedValue(Ballot ballot, Value value) {}

    private Ballot promised = Ballot.ZERO;
    private final SlotMap<AcceptedValue> accepted = new SlotMap<>();
    private final SlotMap<Value> decided = new SlotMap<>();
    private long coveredThrough = -1; // slots up to here are in a snapshot

    void apply(LogRecord record) {
        if (record instanceof LogRecord.Promise p) {
            promised = p.ballot();
        } else if (record instanceof LogRecord.Accepted a) {
            if (a.slot() > coveredThrough) accepted.put(a.slot(), new AcceptedValue(a.ballot(), a.value()));
        } else if (record instanceof LogRecord.Decided d) {
            if (d.slot() > coveredThrough) decided.put(d.slot(), d.value());
        }
    }

    /** Whether a record for {@code slot} still matters (is not covered by a snapshot). */
    boolean isLive(long slot) {
        return slot > coveredThrough;
    }

    /** Forgets the slots a snapshot through {@code slot} covers. */
    void coverThrough(long slot) {
        coveredThrough = Math.max(coveredThrough, slot);
        accepted.removeThrough(slot);
        decided.removeThrough(slot);
    }

    /** Everything live, as records whose replay rebuilds this state. */
    List<LogRecord> records() {
        List<LogRecord> out = new ArrayList<>(accepted.size() + decided.size() + 1);
        if (!promised.equals(Ballot.ZERO)) out.add(new LogRecord.Promise(promised));
        accepted.forEach((slot, a) -> out.add(new LogRecord.Accepted(slot, a.ballot(), a.value())));
        decided.forEach((slot, v) -> out.add(new LogRecord.Decided(slot, v)));
        return out;
    }

    DurableState toDurableState(Optional<Snapshot> snapshot) {
        TreeMap<Long, Message.AcceptedEntry> entries = new TreeMap<>();
        accepted.forEach((slot, a) -> entries.put(slot,
            new Message.AcceptedEntry(slot, a.ballot(), a.value(), a.value().equals(decided.get(slot)))));
        return new DurableState(promised, entries, decided.toTreeMap(), snapshot);
    }
}
