package io.warden.server.replica;

import io.warden.paxos.ReplicaStatus;
import java.util.List;

/**
 * What {@code GET /v1/cell} shows: this replica's view of the cell at one instant.
 *
 * @param peersConnected for each member, whether this replica has a live connection to it (itself: true)
 */
public record CellStatus(ReplicaStatus replica, List<PeerHealth> peers, long pendingWrites, long pendingReads,
                         int sessions, int locks, long lastEventIndex) {
    /** One member as this replica sees it. */
    public record PeerHealth(int id, boolean self, boolean connected) {}
}
