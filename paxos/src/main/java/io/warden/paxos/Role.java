package io.warden.paxos;

/** What a replica's proposer is doing. */
public enum Role {
    /** Follows a master (or waits for one); campaigns when the master's lease must have run out. */
    FOLLOWER,
    /** Running phase 1 with its own ballot. */
    CANDIDATE,
    /** Won phase 1: proposes in phase 2, renews its master lease, serves reads while the lease holds. */
    MASTER
}
