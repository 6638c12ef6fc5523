package io.warden.paxos;

/**
 * A Paxos ballot: a round number made unique by the proposing replica's id. Ordered by round,
 * then by replica id, so two replicas never use the same ballot.
 */
public record Ballot(long round, int replicaId) implements Comparable<Ballot> {
    /** Lower than every ballot any replica proposes; what a fresh acceptor has promised. */
    public static final Ballot ZERO = new Ballot(0, 0);

    public Ballot {
        if (round < 0) throw new IllegalArgumentException("ballot round must be >= 0, got " + round);
    }

    /** The smallest ballot of {@code replicaId} above {@code other}. */
    public static Ballot above(Ballot other, int replicaId) {
        return new Ballot(other.round + 1, replicaId);
    }

    @Override
    public int compareTo(Ballot o) {
        int c = Long.compare(round, o.round);
        return c != 0 ? c : Integer.compare(replicaId, o.replicaId);
    }

    public boolean isAbove(Ballot o) {
        return compareTo(o) > 0;
    }

    public boolean isAtLeast(Ballot o) {
        return compareTo(o) >= 0;
    }

    @Override
    public String toString() {
        return round + "." + replicaId;
    }
}
