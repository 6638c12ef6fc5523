package io.warden.paxos;

import java.util.ArrayList;
import java.util.List;

/**
 * The learner role: the log of decided values, applied in slot order exactly once, compacted into
 * snapshots, and served to replicas that fall behind.
 */
final class Learner {
    private final int self;
    private final PaxosStorage storage;
    private final Outbox out;
    private final PaxosOptions options;
    private final AppliedState state;
    private final DecisionListener listener;
    private Acceptor acceptor; // set once, right after construction: the two compact together

    /** Decided values above the snapshot, applied or not. */
    private final SlotMap<Value> log = new SlotMap<>();
    private Snapshot snapshot;
    private long decidedThrough;
    private long maxDecided;

    Learner(int self, PaxosStorage storage, Outbox out, PaxosOptions options, AppliedState state,
            DurableState recovered, DecisionListener listener) {
        this.self = self;
        this.storage = storage;
        this.out = out;
        this.options = options;
        this.state = state;
        this.listener = listener;
        recovered.snapshot().ifPresent(s -> {
            state.restore(s);
            snapshot = s;
            decidedThrough = maxDecided = s.lastSlot();
        });
        log.putAll(recovered.decided().tailMap(snapshotSlot(), false));
    }

    void attach(Acceptor acceptor) {
        this.acceptor = acceptor;
        acceptor.compactThrough(snapshotSlot());
        advance(); // apply what was recovered decided beyond the snapshot
    }

    long snapshotSlot() {
        return snapshot == null ? 0 : snapshot.lastSlot();
    }

    long decidedThrough() {
        return decidedThrough;
    }

    long maxDecided() {
        return maxDecided;
    }

    long appliedThrough() {
        return state.appliedThrough();
    }

    Configuration configuration() {
        return state.configuration();
    }

    boolean isDecided(long slot) {
        return slot <= snapshotSlot() || log.containsKey(slot);
    }

    Value decidedValue(long slot) {
        return log.get(slot);
    }

    void forEachDecidedFrom(long fromSlot, SlotMap.Visitor<Value> visitor) {
        log.forEachFrom(fromSlot, visitor);
    }

    /** Records that {@code slot} decided {@code value}; applies whatever became contiguous. */
    void learn(long slot, Value value) {
        if (isDecided(slot)) return;
        log.put(slot, value);
        storage.persistDecided(slot, value);
        maxDecided = Math.max(maxDecided, slot);
        listener.decided(slot, value);
        advance();
    }

    /**
     * The master says every slot through {@code through} is decided at {@code ballot}. Where this
     * replica accepted that ballot's value for a slot, that value is the decision: a master at one
     * ballot proposes one value per slot, and reports as decided only slots it decided itself.
     * Returns false if a gap remains that only a catch-up can fill.
     */
    boolean learnFromHint(Ballot ballot, long through) {
        for (long s = decidedThrough + 1; s <= through; s++) {
            if (log.containsKey(s)) continue;
            Message.AcceptedEntry a = acceptor.accepted(s);
            if (a != null && a.ballot().equals(ballot)) learn(s, a.value());
        }
        return decidedThrough >= through;
    }

    void onCatchUpRequest(Message.CatchUpRequest r) {
        if (snapshot != null && r.fromSlot() <= snapshot.lastSlot()) {
            out.send(new Message.InstallSnapshot(self, r.from(), snapshot));
            return;
        }
        List<Message.DecidedEntry> entries = new ArrayList<>();
        for (long s = r.fromSlot(); log.containsKey(s) && entries.size() < options.catchUpMaxSlots(); s++) {
            entries.add(new Message.DecidedEntry(s, log.get(s)));
        }
        if (!entries.isEmpty()) out.send(new Message.CatchUp(self, r.from(), entries));
    }

    void onCatchUp(Message.CatchUp c) {
        for (Message.DecidedEntry e : c.decided()) learn(e.slot(), e.value());
    }

    void onInstallSnapshot(Message.InstallSnapshot m) {
        Snapshot s = m.snapshot();
        if (s.lastSlot() <= state.appliedThrough()) return;
        state.restore(s);
        storage.persistSnapshot(s);
        installed(s);
        decidedThrough = Math.max(decidedThrough, s.lastSlot());
        maxDecided = Math.max(maxDecided, s.lastSlot());
        advance();
    }

    private void advance() {
        while (log.containsKey(decidedThrough + 1)) decidedThrough++;
        while (state.appliedThrough() < decidedThrough) {
            long next = state.appliedThrough() + 1;
            out.applied(state.apply(next, log.get(next)));
        }
        if (snapshotDue()) {
            Snapshot s = state.snapshot();
            storage.persistSnapshot(s);
            installed(s);
        }
    }

    /**
     * A snapshot is due each time the applied slot crosses a multiple of snapshotEverySlots, shifted
     * by this replica's place among the members: replicas take theirs at different moments. Taken
     * together (every replica reaches a slot at about the same time), the encoding and writing of
     * three snapshots at once starved the cell of CPU for 60-250 ms. ZooKeeper randomizes its
     * snapCount per server for the same reason.
     */
    private boolean snapshotDue() {
        long every = options.snapshotEverySlots();
        List<Integer> members = state.configuration().members();
        long shift = every * Math.max(0, members.indexOf(self)) / members.size();
        return Math.floorDiv(state.appliedThrough() + shift, every) > Math.floorDiv(snapshotSlot() + shift, every);
    }

    private void installed(Snapshot s) {
        snapshot = s;
        log.removeThrough(s.lastSlot());
        acceptor.compactThrough(s.lastSlot());
    }
}
