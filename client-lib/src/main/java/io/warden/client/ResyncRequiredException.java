package io.warden.client;

/**
 * The events asked for were compacted away: there is no gap-free way to resume from there. Re-read
 * the state you follow (it reflects every event through {@link #lastIndex()}) and resume from
 * {@code lastIndex() + 1}. Never a silent skip (the etcd#18089 class of bug).
 */
public final class ResyncRequiredException extends WardenException {
    private static final long serialVersionUID = 1L;
    private final long firstRetained;
    private final long lastIndex;

    public ResyncRequiredException(String detail, long firstRetained, long lastIndex) {
        super(410, "resync-required", detail);
        this.firstRetained = firstRetained;
        this.lastIndex = lastIndex;
    }

    public long firstRetained() {
        return firstRetained;
    }

    public long lastIndex() {
        return lastIndex;
    }
}
