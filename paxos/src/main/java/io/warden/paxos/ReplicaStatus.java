package io.warden.paxos;

/**
 * A replica's state at one instant, for metrics and {@code /v1/cell}.
 *
 * @param masterId             the master this replica follows or is; 0 if none is known
 * @param ballot               the highest ballot this replica's acceptor promised
 * @param leaseRemainingMillis on the master, how long its lease still holds; 0 elsewhere
 * @param recovering           true while a restarted replica waits out a lease it may have granted
 */
public record ReplicaStatus(
    int replicaId,
    Role role,
    int masterId,
    Ballot ballot,
    long leaseRemainingMillis,
    long decidedThrough,
    long appliedThrough,
    long snapshotSlot,
    boolean recovering,
    Configuration configuration) {}
