package io.warden.paxos;

import java.util.List;

/**
 * What a replica asks its driver to do after a batch of inputs, in this order:
 * <ol>
 *   <li>if {@link #syncRequired}, call {@link PaxosStorage#sync()}: the messages depend on writes
 *       made while handling the inputs (a promise, an accepted value) and must not leave before
 *       those writes are durable;</li>
 *   <li>send {@link #messages} (best effort: the protocol tolerates loss). Some may be addressed
 *       to this replica itself (its own promise, vote or lease grant): the driver steps those
 *       into it directly, after the sync like every reply, and then takes the next Ready.</li>
 *   <li>A driver may send the messages that {@link #mayPrecedeSync} allows before that sync, so
 *       that a master's own disk write overlaps its followers' (Ongaro's Raft dissertation
 *       §10.2.1: the leader writes its log in parallel with replicating it). A driver may also
 *       sync in the background and handle further inputs meanwhile, if it sends the other
 *       messages of each Ready (replies, and those to itself) only once every sync asked for by
 *       that Ready and the ones before it has returned: a reply may report state that an earlier
 *       Ready wrote (a retransmitted Accept is acknowledged again without a new write);</li>
 *   <li>hand {@link #applied} results to the clients waiting for them; this need not wait for
 *       the sync, as a decision counts only votes already durable (this replica's own among them
 *       only once stepped back in after its sync). Commands in
 *       {@link #abandoned} were pending at a master that lost its mastership: their outcome is
 *       unknown, they may still be decided by the next master, and a client must retry them with
 *       the same id (the exactly-once table makes that safe).</li>
 * </ol>
 */
public record Ready(boolean syncRequired, List<Message> messages, List<Applied> applied, List<Command> abandoned) {
    public Ready {
        messages = List.copyOf(messages);
        applied = List.copyOf(applied);
        abandoned = List.copyOf(abandoned);
    }

    /**
     * True for a request that promises nothing about the sender's storage (Prepare, Accept,
     * LeaseRenew, catch-up traffic of decided values): it may leave before the sync. Promise,
     * Reject, Accepted and LeaseGrant report what this replica has durably promised or accepted,
     * and must wait for it.
     */
    public static boolean mayPrecedeSync(Message m) {
        return m instanceof Message.Prepare || m instanceof Message.Accept || m instanceof Message.LeaseRenew
            || m instanceof Message.CatchUpRequest || m instanceof Message.CatchUp || m instanceof Message.InstallSnapshot;
    }

    public boolean isEmpty() {
        return !syncRequired && messages.isEmpty() && applied.isEmpty() && abandoned.isEmpty();
    }

    /** How a decided command was disposed of. */
    public enum Disposition {
        /** Applied now; the result is the state machine's. */
        APPLIED,
        /** A retry of a command applied before; the result is the first application's. */
        DUPLICATE,
        /** A retry older than the exactly-once table remembers: refused, not applied again. */
        TOO_OLD
    }

    /** One decided command and its outcome ({@code result} is null for {@link Disposition#TOO_OLD}). */
    public record Applied(long slot, Command command, byte[] result, Disposition disposition) {}
}
