package io.warden.api;

import java.util.List;

/** Wire records of {@code /v1/sessions}. */
public final class Sessions {
    private Sessions() {}

    /** {@code POST /v1/sessions}; both fields optional. */
    public record CreateRequest(Long timeoutMillis, String client) {}

    /** 201: the session and its timeout, clamped to the cell's bounds. */
    public record Created(long session, long timeoutMillis, long ttlMillis) {}

    /**
     * {@code POST /v1/sessions/{id}/keepalive}: good for {@code ttlMillis} from when the master got
     * it; {@code held} is every lock it still holds (a grant missing there was broken or expired).
     */
    public record KeepAlive(long session, long ttlMillis, long timeoutMillis, List<Sequencer> held) {}

    /**
     * {@code POST /v1/sessions/keepalive}: one KeepAlive for many sessions of one client (Chubby's one
     * KeepAlive per client; etcd's leases multiplexed on one stream). At most {@link #MAX_KEEPALIVE_BATCH} ids.
     */
    public record KeepAliveBatch(List<Long> sessions) {}

    /** The most sessions one {@link KeepAliveBatch} may name (it stays well under the 64 KiB body bound). */
    public static final int MAX_KEEPALIVE_BATCH = 2_000;

    /**
     * The answer to a {@link KeepAliveBatch}: a {@link KeepAlive} for every session renewed, and the
     * ids of those the cell no longer knows (ended or being expired: open a new session).
     */
    public record KeepAlives(List<KeepAlive> renewed, List<Long> gone) {}

    /** {@code DELETE /v1/sessions/{id}}. */
    public record Closed(long session, boolean closed, long index) {}

    /** {@code GET /v1/sessions/{id}}: {@code principal} is who opened it ("anonymous" when authentication is off). */
    public record Detail(long session, String principal, String client, long timeoutMillis, long createdWallMillis, String created,
                         List<Hold> holds, List<Wait> waits, List<Membership> memberships) {}

    public record Hold(String lock, LockMode mode, long token) {}

    public record Wait(String lock, LockMode mode, int position, long waitLeftMillis) {}

    public record Membership(String group, String member) {}

    /** {@code GET /v1/sessions}. */
    public record Listing(List<Detail> sessions, boolean truncated, long index) {}
}
