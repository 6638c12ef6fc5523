package io.warden.paxos;

import io.warden.leases.Deadline;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The proposer role as candidate and master: phase 1 once for all undecided slots, then phase 2 per
 * slot with a window in flight and many commands per slot; the master lease, renewed in rounds.
 */
final class Proposer {
    private static final class Proposal {
        final Value value;
        final Set<Integer> acks = new HashSet<>();
        long sentAt;

        Proposal(Value value, long sentAt) {
            this.value = value;
            this.sentAt = sentAt;
        }
    }

    private record LeaseRound(long sentAt, Set<Integer> grants) {}

    private final int self;
    private final PaxosOptions options;
    private final Outbox out;
    private final Learner learner;
    private final boolean ignorePhase1Values;
    private final boolean noGapFill;
    private final boolean leaseIgnoresDrift;

    private Role role = Role.FOLLOWER;
    private Ballot ballot = Ballot.ZERO;
    // candidate
    private long fromSlot;
    private final Map<Integer, Message.Promise> promises = new HashMap<>();
    private long campaignStartedAt;
    private long prepareSentAt;
    // master
    private final TreeMap<Long, Proposal> inflight = new TreeMap<>();
    private final ArrayDeque<Command> pending = new ArrayDeque<>();
    private long nextSlot;
    private long recoveryThrough;
    private long masterSince;
    private Deadline lease = Deadline.NONE;
    private long leaseRound;
    private final TreeMap<Long, LeaseRound> rounds = new TreeMap<>();
    private long nextRenewAt;

    Proposer(int self, PaxosOptions options, Outbox out, Learner learner) {
        this.self = self;
        this.options = options;
        this.out = out;
        this.learner = learner;
        this.ignorePhase1Values = options.has(PlantedBug.IGNORE_ACCEPTED_IN_PHASE1);
        this.noGapFill = options.has(PlantedBug.NO_GAP_FILL);
        this.leaseIgnoresDrift = options.has(PlantedBug.LEASE_IGNORES_DRIFT);
    }

    Role role() {
        return role;
    }

    Ballot ballot() {
        return ballot;
    }

    Deadline lease() {
        return role == Role.MASTER ? lease : Deadline.NONE;
    }

    /** True once the master has decided every slot it inherited in phase 1. */
    boolean recovered() {
        return role == Role.MASTER && learner.decidedThrough() >= recoveryThrough;
    }

    int pendingCount() {
        return pending.size() + inflight.size();
    }

    // ---- candidate ----------------------------------------------------------------------------

    void campaign(Ballot above, long now) {
        role = Role.CANDIDATE;
        ballot = Ballot.above(above.isAbove(ballot) ? above : ballot, self);
        fromSlot = learner.decidedThrough() + 1;
        promises.clear();
        campaignStartedAt = now;
        sendPrepares(now);
    }

    long campaignStartedAt() {
        return campaignStartedAt;
    }

    /**
     * Asks the other members first and this replica's own acceptor only once they alone, with it,
     * would make a quorum. A replica cut off from the cell therefore never raises its own promise,
     * and when it comes back it follows the master instead of knocking it out with a ballot nobody
     * else ever saw (what Raft's pre-vote achieves).
     */
    private void sendPrepares(long now) {
        prepareSentAt = now;
        for (int id : learner.configuration().members()) {
            if (id != self && !promises.containsKey(id)) out.send(new Message.Prepare(self, id, ballot, fromSlot));
        }
        askSelfIfWorthIt();
    }

    private void askSelfIfWorthIt() {
        if (promises.containsKey(self)) return;
        java.util.Set<Integer> withSelf = new java.util.HashSet<>(promises.keySet());
        withSelf.add(self);
        if (learner.configuration().isQuorum(withSelf)) out.send(new Message.Prepare(self, self, ballot, fromSlot));
    }

    /** Returns the replica to catch up from if the promise shows this one is too far behind to lead. */
    int onPromise(Message.Promise p, long now) {
        if (role != Role.CANDIDATE || !p.ballot().equals(ballot)) return 0;
        if (p.snapshotSlot() >= fromSlot) {
            role = Role.FOLLOWER; // it compacted slots we never learned: learn them before leading
            return p.from();
        }
        promises.put(p.from(), p);
        if (learner.configuration().isQuorum(promises.keySet())) {
            becomeMaster(now);
        } else if (p.from() != self) {
            askSelfIfWorthIt();
        }
        return 0;
    }

    // ---- master -------------------------------------------------------------------------------

    private void becomeMaster(long now) {
        role = Role.MASTER;
        masterSince = now;
        lease = Deadline.NONE;
        rounds.clear();
        inflight.clear();
        TreeMap<Long, Message.AcceptedEntry> best = new TreeMap<>();
        for (Message.Promise p : promises.values()) {
            for (Message.AcceptedEntry e : p.accepted()) {
                Message.AcceptedEntry had = best.get(e.slot());
                if (had == null || e.decided() || (!had.decided() && e.ballot().isAbove(had.ballot()))) best.put(e.slot(), e);
            }
        }
        long maxSlot = best.isEmpty() ? fromSlot - 1 : Math.max(fromSlot - 1, best.lastKey());
        for (long s = fromSlot; s <= maxSlot; s++) {
            Value known = learner.decidedValue(s);
            Message.AcceptedEntry e = best.get(s);
            Value v = known != null ? known : e != null && !ignorePhase1Values ? e.value() : Value.NOOP;
            if (known == null && e == null && noGapFill) continue;
            propose(s, v, now);
        }
        nextSlot = maxSlot + 1;
        recoveryThrough = maxSlot;
        renewLease(now);
    }

    void stepDown() {
        if (role == Role.MASTER) {
            List<Command> lost = new ArrayList<>(pending);
            for (Proposal p : inflight.values()) {
                if (p.value instanceof Value.Batch b) lost.addAll(b.commands());
            }
            out.abandoned(lost);
        }
        pending.clear();
        inflight.clear();
        promises.clear();
        lease = Deadline.NONE;
        role = Role.FOLLOWER;
    }

    void enqueue(Command c) {
        pending.add(c);
    }

    /** True while this replica is master and its window is full: a command queued now waits for a decision. */
    boolean windowFull() {
        return role == Role.MASTER && inflight.size() >= options.windowSlots();
    }

    /** Packs pending commands into new slots while the window has room. */
    void flush(long now) {
        if (role != Role.MASTER) return;
        while (!pending.isEmpty() && !windowFull()) {
            int n = Math.min(pending.size(), options.maxBatchCommands());
            List<Command> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) batch.add(pending.poll());
            propose(nextSlot++, new Value.Batch(batch), now);
        }
    }

    private void propose(long slot, Value value, long now) {
        inflight.put(slot, new Proposal(value, now));
        for (int id : learner.configuration().members()) {
            out.send(new Message.Accept(self, id, ballot, slot, value, learner.decidedThrough()));
        }
    }

    void onAccepted(Message.Accepted a) {
        if (role != Role.MASTER || !a.ballot().equals(ballot)) return;
        Proposal p = inflight.get(a.slot());
        if (p == null) return;
        p.acks.add(a.from());
        if (learner.configuration().isQuorum(p.acks)) {
            inflight.remove(a.slot());
            learner.learn(a.slot(), p.value);
            // The next slot goes out at ready(), after the driver has queued whatever else this turn brought.
        }
    }

    private void renewLease(long now) {
        long round = ++leaseRound;
        rounds.put(round, new LeaseRound(now, new HashSet<>()));
        // Rounds older than a held lease can no longer extend it.
        rounds.headMap(round - 1 - options.masterLease().holderMillis() / options.renewIntervalMillis(), true).clear();
        nextRenewAt = now + options.renewIntervalMillis();
        for (int id : learner.configuration().members()) {
            out.send(new Message.LeaseRenew(self, id, ballot, round, learner.decidedThrough()));
        }
    }

    void onLeaseGrant(Message.LeaseGrant g) {
        if (role != Role.MASTER || !g.ballot().equals(ballot)) return;
        LeaseRound r = rounds.get(g.round());
        if (r == null) return;
        r.grants.add(g.from());
        if (learner.configuration().isQuorum(r.grants)) {
            // Counted from when the request was sent: the grantors acted later (leases/ LeaseTerms).
            long heldMillis = leaseIgnoresDrift ? options.masterLease().durationMillis() : options.masterLease().holderMillis();
            lease = lease.extendTo(new Deadline(r.sentAt + heldMillis));
        }
    }

    /**
     * The master's and candidate's timers. Returns false when the master must step down: its lease
     * ran out, or it never got one within an election timeout.
     */
    boolean tick(long now) {
        if (role == Role.CANDIDATE && now - prepareSentAt >= options.retryMillis()) sendPrepares(now);
        if (role != Role.MASTER) return true;
        boolean leaseLapsed = lease.atMillis() != Long.MIN_VALUE && !lease.holdsAt(now);
        boolean neverLeased = lease.atMillis() == Long.MIN_VALUE && now - masterSince > options.electionTimeoutMillis();
        if (leaseLapsed || neverLeased) return false;
        if (now >= nextRenewAt) renewLease(now);
        for (Iterator<Map.Entry<Long, Proposal>> it = inflight.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Proposal> e = it.next();
            Proposal p = e.getValue();
            if (now - p.sentAt < options.retryMillis()) continue;
            p.sentAt = now;
            for (int id : learner.configuration().members()) {
                if (!p.acks.contains(id)) out.send(new Message.Accept(self, id, ballot, e.getKey(), p.value, learner.decidedThrough()));
            }
        }
        flush(now);
        return true;
    }
}
