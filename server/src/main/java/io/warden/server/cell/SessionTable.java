package io.warden.server.cell;

import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/** The live sessions, and for each the locks it holds or waits for and the groups it belongs to. */
public final class SessionTable {
    /** A session as the replicated state knows it (its lease lives on the master, not here). */
    record Session(long id, long timeoutMillis, String client, String principal, long createdWallMillis,
                   TreeSet<String> locks, TreeSet<String> memberships) {
        int quotaUse() {
            return locks.size();
        }
    }

    /** A session as snapshots and listings show it. */
    public record SessionView(long id, long timeoutMillis, String client, String principal, long createdWallMillis,
                              List<String> locks, List<String> memberships) {
        public SessionView {
            if (principal == null) principal = ANONYMOUS; // a snapshot written before sessions had owners
        }
    }

    /** The principal of every caller while authentication is off. */
    public static final String ANONYMOUS = "anonymous";

    private final TreeMap<Long, Session> sessions = new TreeMap<>();
    private long lastId;

    Session get(long id) {
        return sessions.get(id);
    }

    int size() {
        return sessions.size();
    }

    Session create(long timeoutMillis, String client, String principal, long wall) {
        Session s = new Session(++lastId, timeoutMillis, client, principal, wall, new TreeSet<>(), new TreeSet<>());
        sessions.put(s.id(), s);
        return s;
    }

    void remove(long id) {
        sessions.remove(id);
    }

    Collection<Session> all() {
        return sessions.values();
    }

    static SessionView view(Session s) {
        return new SessionView(s.id(), s.timeoutMillis(), s.client(), s.principal(), s.createdWallMillis(), List.copyOf(s.locks()),
            List.copyOf(s.memberships()));
    }

    long lastId() {
        return lastId;
    }

    List<SessionView> views() {
        return sessions.values().stream().map(SessionTable::view).toList();
    }

    void restore(long last, List<SessionView> views) {
        sessions.clear();
        lastId = last;
        for (SessionView v : views) {
            sessions.put(v.id(), new Session(v.id(), v.timeoutMillis(), v.client(), v.principal(), v.createdWallMillis(),
                new TreeSet<>(v.locks()), new TreeSet<>(v.memberships())));
        }
    }
}
