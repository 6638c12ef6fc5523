package io.warden.client;

import io.warden.api.CellInfo;
import io.warden.api.Groups;
import io.warden.api.Locks;
import io.warden.api.Sessions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The reads (and the lock break) the CLI needs from {@link WardenClient} that client-lib does not
 * publish yet: commit 71b8d2f ("cell/locks/sessions/members reads and lock break for the CLI")
 * added {@code Transport.callAt} and {@code Transport.endpoints} but none of the public methods.
 *
 * <p>Each method here is written as the {@code WardenClient} method it stands in for
 * ({@code AdminCalls.locks(client, p)} is {@code client.locks(p)}), on client-lib's own transport
 * (master discovery, 421/503 retries, request ids), so the CLI never speaks HTTP itself. It lives in
 * client-lib's package only to reach that transport. Delete it when the methods land in
 * {@code WardenClient}, and replace each call by the method.
 *
 * <p>Threading and errors as {@code WardenClient}: thread-safe, blocking calls block the caller and
 * throw {@link WardenException}.
 */
public final class AdminCalls {
    private AdminCalls() {}

    /** {@code client.endpoints()}: the replicas the client was built with. */
    public static List<URI> endpoints(WardenClient client) {
        return client.transport.endpoints();
    }

    /** {@code client.cellAsync(replica)}: one replica's own view ({@code GET /v1/cell}), no retries, no redirects. */
    public static CompletableFuture<CellInfo.View> cellAsync(WardenClient client, URI replica) {
        return client.transport.callAt(replica, "GET", "/v1/cell", CellInfo.View.class);
    }

    /** {@code client.locks(prefix)}: locks whose name starts with {@code prefix}, in name order. */
    public static Locks.Listing locks(WardenClient client, String prefix) {
        String query = prefix == null || prefix.isEmpty() ? "" : "?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8);
        return WardenClient.join(client.transport.call("GET", "/v1/locks" + query, null, Locks.Listing.class, null, Duration.ZERO));
    }

    /** {@code client.breakLock(lock)}: takes the lock from its holders (they are fenced; its lock-delay applies). */
    public static Locks.Broken breakLock(WardenClient client, String lock) {
        Transport t = client.transport;
        return WardenClient.join(t.call("POST", "/v1/locks/break", new Locks.BreakRequest(lock), Locks.Broken.class,
            t.newRequestId(), Duration.ZERO));
    }

    /** {@code client.sessions()}: every live session (the first page the cell gives). */
    public static Sessions.Listing sessions(WardenClient client) {
        return WardenClient.join(client.transport.call("GET", "/v1/sessions", null, Sessions.Listing.class, null, Duration.ZERO));
    }

    /** {@code client.session(id)}: one session's holds, waits and memberships; empty if it does not exist. */
    public static Optional<Sessions.Detail> session(WardenClient client, long id) {
        try {
            return Optional.of(WardenClient.join(client.transport.call("GET", "/v1/sessions/" + id, null, Sessions.Detail.class,
                null, Duration.ZERO)));
        } catch (WardenException e) {
            if (e.status() == 404) return Optional.empty();
            throw e;
        }
    }

    /** {@code client.members(group)}: a group's members without a session of one's own. */
    public static Groups.Listing members(WardenClient client, String group) {
        return WardenClient.join(client.transport.call("GET", "/v1/groups" + group + "/members", null, Groups.Listing.class,
            null, Duration.ZERO));
    }
}
