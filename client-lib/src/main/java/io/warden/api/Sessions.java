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
