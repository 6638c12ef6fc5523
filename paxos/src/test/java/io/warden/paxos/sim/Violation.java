package io.warden.paxos.sim;

/** A broken invariant, with the simulated time it was seen at. */
public record Violation(Invariant invariant, long atMillis, String detail) {
    /** The checked properties, numbered as in docs/paxos.md. */
    public enum Invariant {
        AGREEMENT(1), APPLIED_PREFIX(2), DURABILITY(3), SINGLE_LEASE(4), LEASE_READ(5), LIVENESS(6);

        final int number;

        Invariant(int number) {
            this.number = number;
        }

        /** Lease guarantees rest on the drift bound; the others must hold whatever the clocks do. */
        public boolean restsOnClocks() {
            return this == SINGLE_LEASE || this == LEASE_READ;
        }
    }

    @Override
    public String toString() {
        return "invariant " + invariant.number + " (" + invariant + ") at t=" + atMillis + "ms: " + detail;
    }
}
