package io.warden.paxos;

/**
 * Protocol bugs that can be switched on in a replica, only so that tests can show the simulator's
 * checkers catch each one (FoundationDB's lesson: a checker nobody has seen fail proves nothing).
 * Never set outside tests; the replica logs nothing about them because it has no logger at all.
 */
public enum PlantedBug {
    /** A new master ignores the values reported in phase 1 and proposes its own. */
    IGNORE_ACCEPTED_IN_PHASE1,
    /** Lease arithmetic without the drift bound: holder and grantor both count D. */
    LEASE_IGNORES_DRIFT,
    /** A new master leaves slots nobody accepted empty instead of filling them with no-ops. */
    NO_GAP_FILL,
    /** Replies leave before the writes they depend on are synced. */
    ACK_BEFORE_FSYNC,
    /** A replica counts its own promise or vote at once, before its driver has synced it. */
    OWN_VOTE_BEFORE_SYNC,
    /** Snapshots omit the exactly-once table. */
    SNAPSHOT_FORGETS_DEDUP,
    /** A restarted replica does not wait out the lease it may have granted before it forgot. */
    NO_WAIT_AFTER_RESTART,
    /** The master serves reads without checking its lease. */
    READ_WITHOUT_LEASE
}
