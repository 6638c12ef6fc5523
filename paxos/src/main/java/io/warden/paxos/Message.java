package io.warden.paxos;

import java.util.List;

/**
 * Everything replicas say to each other. Delivery is unreliable: a message may be lost,
 * duplicated, delayed or reordered, and every handler tolerates that. Ballots in every message let
 * a receiver discard what belongs to an old view.
 */
public sealed interface Message {
    int from();
    int to();

    /** Phase 1a: "promise me {@code ballot}, and tell me what you accepted from {@code fromSlot} on". */
    record Prepare(int from, int to, Ballot ballot, long fromSlot) implements Message {}

    /**
     * Phase 1b, and a master-lease grant (Chubby §2.2): the acceptor will promise nobody else until
     * the grant runs out on its clock. {@code snapshotSlot}: slots up to here were compacted away
     * here and are not listed; a proposer behind that point must catch up before it can lead.
     */
    record Promise(int from, int to, Ballot ballot, List<AcceptedEntry> accepted, long snapshotSlot)
        implements Message {}

    /** A refusal: {@code promised} is what the acceptor is bound by, a higher ballot or a live lease's. */
    record Reject(int from, int to, Ballot rejected, Ballot promised) implements Message {}

    /** Phase 2a for one slot; {@code decidedThrough} piggybacks the master's contiguous decided prefix. */
    record Accept(int from, int to, Ballot ballot, long slot, Value value, long decidedThrough)
        implements Message {}

    /** Phase 2b. */
    record Accepted(int from, int to, Ballot ballot, long slot) implements Message {}

    /** The master's heartbeat: asks for a lease extension and tells followers what is decided. */
    record LeaseRenew(int from, int to, Ballot ballot, long round, long decidedThrough) implements Message {}

    /** The grant of a {@link LeaseRenew}. */
    record LeaseGrant(int from, int to, Ballot ballot, long round) implements Message {}

    /** A learner that found a gap asks for decided values from {@code fromSlot} on. */
    record CatchUpRequest(int from, int to, long fromSlot) implements Message {}

    /** Decided values, contiguous from the requested slot. */
    record CatchUp(int from, int to, List<DecidedEntry> decided) implements Message {}

    /** The sender's snapshot, for a learner behind the sender's compacted log. */
    record InstallSnapshot(int from, int to, Snapshot snapshot) implements Message {}

    /** A value an acceptor accepted, or knows decided, in one slot. */
    record AcceptedEntry(long slot, Ballot ballot, Value value, boolean decided) {}

    /** A decided slot. */
    record DecidedEntry(long slot, Value value) {}
}
