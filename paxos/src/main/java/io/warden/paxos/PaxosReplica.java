package io.warden.paxos;

import io.warden.leases.MonotonicClock;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * One Multi-Paxos replica with a master lease, as a pure state machine (etcd-io/raft's shape):
 * inputs are {@link #tick()}, {@link #step(Message)} and {@link #propose(Command)}; after a batch of
 * inputs the driver takes a {@link #ready()} and carries it out (sync, send, answer clients).
 *
 * <p>No threads, sockets, files or clocks inside: time, randomness, storage and the state machine
 * are the constructor's arguments. Not thread-safe: exactly one thread (the driver's loop) calls
 * every method. Methods never block except through the storage port, and never throw for bad
 * input from the network; a storage failure propagates and the replica must be discarded.
 */
public final class PaxosReplica {
    private final int self;
    private final PaxosOptions options;
    private final MonotonicClock clock;
    private final RandomGenerator random;
    private final Outbox out;
    private final Acceptor acceptor;
    private final Learner learner;
    private final Proposer proposer;

    private int knownMaster;
    private long electionDeadline;
    private long masterHint;
    private Ballot highestSeen = Ballot.ZERO; // from rejections: campaign above it, not into it
    private long catchUpSentAt = Long.MIN_VALUE / 2;

    /**
     * Starts a replica from whatever {@code storage} recovers; a replica with a past first waits out
     * any master lease it may have granted before it forgot (see {@link ReplicaStatus#recovering()}).
     */
    public PaxosReplica(int self, Configuration initial, PaxosOptions options, PaxosStorage storage,
                        StateMachine machine, MonotonicClock clock, RandomGenerator random, DecisionListener listener) {
        if (!initial.contains(self)) throw new IllegalArgumentException("replica " + self + " is not in " + initial);
        this.self = self;
        this.options = options;
        this.clock = clock;
        this.random = random;
        this.out = new Outbox(self, options.has(PlantedBug.ACK_BEFORE_FSYNC), options.has(PlantedBug.OWN_VOTE_BEFORE_SYNC));
        long now = clock.nowMillis();
        DurableState recovered = storage.recover();
        this.acceptor = new Acceptor(self, storage, out, options, recovered, now);
        this.learner = new Learner(self, storage, out, options, new AppliedState(machine, initial, options), recovered, listener);
        learner.attach(acceptor);
        this.proposer = new Proposer(self, options, out, learner);
        // A fresh cell elects quickly; a restarted replica not before its wait is over.
        this.electionDeadline = now + (acceptor.recovering(now) ? options.electionTimeoutMillis() : 0) + jitter();
    }

    public int id() {
        return self;
    }

    /** Advances timers: elections, lease renewal, retransmission, catch-up. Call every few ms. */
    public void tick() {
        long now = clock.nowMillis();
        switch (proposer.role()) {
            case MASTER -> {
                if (!proposer.tick(now)) becomeFollower(now, options.electionTimeoutMillis());
            }
            case CANDIDATE -> {
                if (now - proposer.campaignStartedAt() > options.electionJitterMillis() + 5 * options.retryMillis()) {
                    becomeFollower(now, options.retryMillis()); // no majority in time: back off, retry higher
                } else {
                    proposer.tick(now);
                }
            }
            case FOLLOWER -> {
                if (now >= electionDeadline && !acceptor.recovering(now) && !acceptor.boundToOther(self, now)) {
                    knownMaster = 0;
                    proposer.campaign(acceptor.promised().isAbove(highestSeen) ? acceptor.promised() : highestSeen, now);
                } else if (learner.decidedThrough() < masterHint && knownMaster != 0) {
                    requestCatchUp(knownMaster, now);
                }
            }
        }
        drainLocal();
    }

    /** Handles one message from a peer. Messages from non-members or for another replica are dropped. */
    public void step(Message m) {
        if (m.to() != self || !learner.configuration().contains(m.from())) return;
        handle(m);
        drainLocal();
    }

    /**
     * Queues a command for the next slot if this replica is master; returns false otherwise (the
     * caller redirects to {@link ReplicaStatus#masterId()}). A queued command is decided, or
     * reported in {@link Ready#abandoned()} if mastership is lost first.
     */
    public boolean propose(Command command) {
        if (proposer.role() != Role.MASTER) return false;
        proposer.enqueue(command);
        return true;
    }

    /**
     * If this replica may serve a linearizable read now, the slot it must have applied first (every
     * slot it knows decided); empty otherwise. Only a master holding its lease, that has decided every
     * slot it inherited, may serve reads: while its lease holds no other replica can be elected, so
     * nothing can be decided that it does not know (Chubby §2.2).
     */
    public OptionalLong readIndex() {
        long now = clock.nowMillis();
        boolean leased = proposer.lease().holdsAt(now) || options.has(PlantedBug.READ_WITHOUT_LEASE);
        if (proposer.role() != Role.MASTER || !leased || !proposer.recovered()) return OptionalLong.empty();
        return OptionalLong.of(learner.maxDecided());
    }

    public long appliedThrough() {
        return learner.appliedThrough();
    }

    /** True while this replica is master and its lease holds on its own clock. */
    public boolean holdsLease() {
        return proposer.role() == Role.MASTER && proposer.lease().holdsAt(clock.nowMillis());
    }

    /** What the driver must do now; see {@link Ready} for the order. */
    public Ready ready() {
        proposer.flush(clock.nowMillis());
        drainLocal();
        return out.drain();
    }

    /**
     * True while this replica is master and has as many slots in flight as its window allows: a
     * command proposed now goes out only after a decision (which a vote arriving will bring).
     */
    public boolean windowFull() {
        return proposer.windowFull();
    }

    /** This replica's role now (cheaper than {@link #status()}). */
    public Role role() {
        return proposer.role();
    }

    public ReplicaStatus status() {
        long now = clock.nowMillis();
        int master = proposer.role() == Role.MASTER ? self : knownMaster;
        return new ReplicaStatus(self, proposer.role(), master, acceptor.promised(), proposer.lease().remainingMillis(now),
            learner.decidedThrough(), learner.appliedThrough(), learner.snapshotSlot(), acceptor.recovering(now),
            learner.configuration());
    }

    private void handle(Message m) {
        long now = clock.nowMillis();
        if (m instanceof Message.Prepare p) {
            Ballot before = acceptor.promised();
            acceptor.onPrepare(p, now, learner);
            boolean newPromise = p.ballot().isAbove(before) && acceptor.promised().equals(p.ballot());
            if (newPromise && proposer.role() == Role.FOLLOWER && p.ballot().replicaId() != self) {
                // Give the candidate just promised a round to win before campaigning against it (as a
                // Raft vote resets the election timer): followers whose deadlines fall close together
                // would otherwise duel, and a lease granted to the loser-to-be can hold up the winner a
                // whole lease. Only a new promise defers: a candidate's resent Prepares do not.
                electionDeadline = Math.max(electionDeadline, now + options.retryMillis() + jitter());
            }
        } else if (m instanceof Message.Promise p) {
            int behind = proposer.onPromise(p, now);
            if (behind != 0) {
                requestCatchUp(behind, now);
                electionDeadline = now + options.retryMillis() + jitter();
            }
        } else if (m instanceof Message.Reject r) {
            if (r.promised().isAbove(highestSeen)) highestSeen = r.promised();
            if (r.promised().isAbove(proposer.ballot()) && proposer.role() != Role.FOLLOWER) {
                becomeFollower(now, options.retryMillis()); // preempted: a higher ballot is campaigning
            }
        } else if (m instanceof Message.Accept a) {
            acceptor.onAccept(a, learner);
            if (acceptor.promised().equals(a.ballot())) heardFromMaster(a.ballot(), a.decidedThrough(), now);
        } else if (m instanceof Message.Accepted a) {
            proposer.onAccepted(a);
        } else if (m instanceof Message.LeaseRenew r) {
            acceptor.onLeaseRenew(r, now);
            if (r.ballot().isAtLeast(acceptor.promised())) heardFromMaster(r.ballot(), r.decidedThrough(), now);
        } else if (m instanceof Message.LeaseGrant g) {
            proposer.onLeaseGrant(g);
        } else if (m instanceof Message.CatchUpRequest c) {
            learner.onCatchUpRequest(c);
        } else if (m instanceof Message.CatchUp c) {
            // A master has decided everything below its own proposals; a catch-up can only be stale.
            if (proposer.role() != Role.MASTER) learner.onCatchUp(c);
            catchUpSentAt = Long.MIN_VALUE / 2;
        } else if (m instanceof Message.InstallSnapshot s) {
            if (proposer.role() != Role.MASTER) learner.onInstallSnapshot(s);
            catchUpSentAt = Long.MIN_VALUE / 2;
        }
        if (proposer.role() == Role.MASTER && acceptor.promised().isAbove(proposer.ballot())) {
            becomeFollower(now, options.electionTimeoutMillis());
        }
    }

    private void heardFromMaster(Ballot ballot, long decidedThrough, long now) {
        if (ballot.replicaId() == self) return;
        if (proposer.role() != Role.FOLLOWER && ballot.isAtLeast(proposer.ballot())) proposer.stepDown();
        knownMaster = ballot.replicaId();
        electionDeadline = now + options.electionTimeoutMillis() + jitter();
        masterHint = Math.max(masterHint, decidedThrough);
        if (!learner.learnFromHint(ballot, decidedThrough)) requestCatchUp(ballot.replicaId(), now);
    }

    private void becomeFollower(long now, long backoffMillis) {
        proposer.stepDown();
        electionDeadline = now + backoffMillis + jitter();
    }

    private void requestCatchUp(int from, long now) {
        if (now - catchUpSentAt < options.retryMillis()) return;
        catchUpSentAt = now;
        out.send(new Message.CatchUpRequest(self, from, learner.decidedThrough() + 1));
    }

    private void drainLocal() {
        for (Message m = out.pollLocal(); m != null; m = out.pollLocal()) handle(m);
    }

    private long jitter() {
        return random.nextLong(options.electionJitterMillis() + 1);
    }
}
