package io.warden.paxos;

import java.util.List;

/**
 * What a replica asks its driver to do after a batch of inputs, in this order:
 * <ol>
 *   <li>if {@link #syncRequired}, call {@link PaxosStorage#sync()}: the messages depend on writes
 *       made while handling the inputs (a promise, an accepted value) and must not leave before
 *       those writes are durable;</li>
 *   <li>send {@link #messages} (best effort: the protocol tolerates loss).</li>
 *   <li>A driver may send the messages that {@link #mayPrecedeSync} allows before that sync, so
 *       that a master's own disk write overlaps its followers' (Ongaro's Raft dissertation
 *       §10.2.1: the leader writes its log in parallel with replicating it); but the rest of the inputs must not be
 *       handled before the sync has returned, because that is when this replica's own vote counts;</li>
 *   <li>hand {@link #applied} results to the clients waiting for them. Commands in
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
