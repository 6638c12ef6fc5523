package io.warden.client;

import io.warden.api.Event;
import io.warden.api.Groups;
import java.time.Duration;
import java.util.List;

/**
 * Group membership tied to a session: a member joined through it vanishes when the session ends
 * (closed or expired), and watchers are told. Member names are unique in a group among live
 * sessions. Threading: thread-safe; blocking calls block the caller; watchers run on the scheduler.
 */
public final class Membership {
    /** A join or leave as a watcher sees it. */
    public record Change(boolean joined, String member, long session, String detail, long index) {}

    private final Session session;
    private final String group;

    Membership(Session session, String group) {
        this.session = session;
        this.group = group;
    }

    /** Joins as {@code member} with {@code payload} (joining again updates the payload). */
    public void join(String member, String payload) {
        session.requireSafe();
        Transport t = session.client().transport;
        WardenClient.join(() -> t.call("POST", "/v1/groups/join", new Groups.JoinRequest(group, member, session.id(), payload),
            Groups.Changed.class, t.newRequestId(), Duration.ZERO));
    }

    public void leave(String member) {
        Transport t = session.client().transport;
        WardenClient.join(() -> t.call("POST", "/v1/groups/leave", new Groups.LeaveRequest(group, member, session.id()),
            Groups.Changed.class, t.newRequestId(), Duration.ZERO));
    }

    /** The members now, and the event index this listing reflects. */
    public Groups.Listing members() {
        return WardenClient.join(() -> session.client().transport.call("GET", "/v1/groups" + group + "/members", null,
            Groups.Listing.class, null, Duration.ZERO));
    }

    /**
     * Tells {@code listener} of every join and leave after {@code fromIndex} (a listing's index),
     * in order, with no gap, resuming across fail-overs; {@code onResync} gets a fresh listing if
     * the history was compacted away.
     */
    public AutoCloseable watch(long fromIndex, java.util.function.Consumer<Change> listener,
                               java.util.function.Consumer<Groups.Listing> onResync) {
        return session.client().watch(EventFilter.group(group), fromIndex + 1, new EventSubscription.Listener() {
            @Override
            public void event(Event e) {
                if (!group.equals(e.group())) return;
                if (e.type().equals("member.joined") || e.type().equals("member.left")) {
                    listener.accept(new Change(e.type().equals("member.joined"), e.member(), e.session() == null ? 0 : e.session(),
                        e.detail(), e.index()));
                }
            }

            @Override
            public void resync(long lastIndex) {
                onResync.accept(members());
            }
        });
    }

    public List<Groups.Member> list() {
        return members().members();
    }
}
