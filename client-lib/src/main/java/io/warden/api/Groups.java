package io.warden.api;

import java.util.List;

/** Wire records of {@code /v1/groups}. */
public final class Groups {
    private Groups() {}

    /** {@code POST /v1/groups/join}. */
    public record JoinRequest(String group, String member, Long session, String payload) {}

    /** {@code POST /v1/groups/leave}. */
    public record LeaveRequest(String group, String member, Long session) {}

    public record Changed(String group, String member, long session, long index) {}

    public record Member(String member, long session, String payload, long joinedWallMillis, String joinedAt) {}

    /** {@code GET /v1/groups/{group}/members}, as of event {@code index}. */
    public record Listing(String group, List<Member> members, long index) {}
}
