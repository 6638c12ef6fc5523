package io.warden.server.replica;

/**
 * This replica is not the master. {@code masterId} is who is, as far as this replica knows (0: none
 * known yet, e.g. during an election); clients retry there. Nothing was done.
 */
public final class NotMasterException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int masterId;

    public NotMasterException(int masterId) {
        super(masterId == 0 ? "no master is known yet (an election may be under way); retry shortly"
            : "this replica is not the master; replica " + masterId + " is");
        this.masterId = masterId;
    }

    public int masterId() {
        return masterId;
    }
}
