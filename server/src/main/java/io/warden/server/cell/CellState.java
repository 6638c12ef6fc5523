package io.warden.server.cell;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.api.Acls;
import io.warden.api.Audit;
import io.warden.api.Event;
import io.warden.api.LockMode;
import io.warden.api.Sequencer;
import io.warden.paxos.Command;
import io.warden.paxos.StateMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The cell's replicated state: sessions, locks, groups, registers, the event log and cell time.
 * Deterministic: no clocks, randomness or I/O (time arrives in each command's envelope), and only
 * the replica loop's thread calls it. Every command is validated again here, against the state it
 * is applied to; one that does not apply is refused whole, changing nothing.
 */
public final class CellState implements StateMachine, LockTable.Effects {
    /** A register's value and the event index of its last write (its revision). */
    public record Register(String value, long revision) {}

    /** Everything, as a snapshot holds it. */
    record SnapshotData(long cellMillis, long lastToken, long lastSession, long lastEvent, List<Event> events,
                        Map<String, Register> registers, List<SessionTable.SessionView> sessions,
                        List<LockTable.LockRecord> locks, List<GroupTable.Member> members, List<Acls.Entry> acls,
                        List<Audit.Entry> audit) {}

    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** ACL entries are few (per prefix, per team); a bound keeps a runaway script from growing every snapshot. */
    static final int MAX_ACL_ENTRIES = 10_000;

    private final Limits limits;
    private final SessionTable sessions = new SessionTable();
    private final LockTable locks = new LockTable(this);
    private final GroupTable groups = new GroupTable();
    private final EventLog events;
    private final AclTable acls = new AclTable();
    private final AuditTrail audit;
    private final TreeMap<String, Register> registers = new TreeMap<>();
    private long cellMillis;
    private long wallMillis;
    private long lastToken;

    public CellState(Limits limits) {
        this.limits = limits;
        this.events = new EventLog(limits.retainedEvents());
        this.audit = new AuditTrail(limits.retainedAudit());
    }

    // ---- StateMachine ---------------------------------------------------------------------------

    @Override
    public byte[] apply(long slot, Command command) {
        CellResult result;
        try {
            CellCommand.Envelope e = JSON.readValue(command.payloadView(), CellCommand.Envelope.class);
            cellMillis = Math.max(cellMillis, e.cellMillis());
            wallMillis = e.wallMillis();
            result = e.command() == null ? refused(400, "malformed-command", "no command") : apply(e.command());
        } catch (IOException | RuntimeException e) {
            result = refused(400, "malformed-command", "the command could not be decoded: " + e.getMessage());
        }
        return encode(result);
    }

    /** Applies one decoded command; public for the state's own unit tests. */
    public CellResult apply(CellCommand c) {
        if (c instanceof CellCommand.Put p) return put(p);
        if (c instanceof CellCommand.CreateSession cs) return createSession(cs);
        if (c instanceof CellCommand.CloseSession cs) return closeSession(cs);
        if (c instanceof CellCommand.ExpireSessions es) {
            for (long id : es.sessions()) endSession(id, true);
            return new CellResult.Done(events.lastIndex());
        }
        if (c instanceof CellCommand.Acquire a) {
            String bad = Names.problemWithPath(a.lock());
            if (bad != null) return refused(400, "invalid-name", bad);
            if (a.lockDelayMillis() > limits.maxLockDelayMillis()) {
                return refused(400, "lock-delay-too-long", "lockDelayMillis is at most " + limits.maxLockDelayMillis());
            }
            return locks.acquire(a, limits);
        }
        if (c instanceof CellCommand.Release r) return sessionThen(r.session(), () -> locks.release(r.session(), r.lock()));
        if (c instanceof CellCommand.SetValue v) {
            if (v.value() != null && v.value().length() > limits.maxValueBytes()) {
                return refused(413, "value-too-large", "a lock value is at most " + limits.maxValueBytes() + " bytes");
            }
            return sessionThen(v.session(), () -> locks.setValue(v.session(), v.lock(), v.value()));
        }
        if (c instanceof CellCommand.BreakLock b) return breakLock(b);
        if (c instanceof CellCommand.SetAcl a) return setAcl(a);
        if (c instanceof CellCommand.RemoveAcl a) return removeAcl(a);
        if (c instanceof CellCommand.Join j) return sessionThen(j.session(), () -> join(j));
        if (c instanceof CellCommand.Leave l) return sessionThen(l.session(), () -> leave(l));
        if (c instanceof CellCommand.Tick) {
            locks.tick();
            return new CellResult.Done(events.lastIndex());
        }
        if (c instanceof CellCommand.NewMaster m) {
            append("master.changed", null, null, null, null, null, null, "replica " + m.replica() + " at ballot " + m.ballot());
            return new CellResult.Done(events.lastIndex());
        }
        return refused(400, "unsupported-command", String.valueOf(c));
    }

    // ---- commands -------------------------------------------------------------------------------

    private CellResult put(CellCommand.Put p) {
        Register previous = registers.get(p.key());
        long index = append("register.written", null, null, p.key(), null, null, null, null).index();
        registers.put(p.key(), new Register(p.value(), index));
        return new CellResult.Written(index, previous);
    }

    private CellResult createSession(CellCommand.CreateSession cs) {
        if (sessions.size() >= limits.maxSessions()) {
            return refused(429, "quota-sessions", "the cell already holds " + limits.maxSessions() + " sessions (maxSessions)");
        }
        String client = cs.client() == null ? "" : cs.client();
        if (client.length() > limits.maxClientLabel()) return refused(400, "client-too-long", "client is at most " + limits.maxClientLabel() + " characters");
        String principal = cs.principal() == null ? SessionTable.ANONYMOUS : cs.principal();
        SessionTable.Session s = sessions.create(limits.clampTimeout(cs.timeoutMillis()), client, principal, wallMillis);
        append("session.created", null, null, null, s.id(), null, null, client.isEmpty() ? null : client);
        return new CellResult.SessionCreated(s.id(), s.timeoutMillis());
    }

    /** A close by anyone but the session's owner (an administrator ending it) goes into the audit trail. */
    private CellResult closeSession(CellCommand.CloseSession cs) {
        SessionTable.Session s = sessions.get(cs.session());
        CellResult r = endSession(cs.session(), false);
        if (s != null && cs.principal() != null && !cs.principal().equals(s.principal())) {
            audit(events.lastIndex(), cs.principal(), "session.ended", "session " + s.id(), "owner " + s.principal());
        }
        return r;
    }

    private CellResult breakLock(CellCommand.BreakLock b) {
        String bad = Names.problemWithPath(b.lock());
        if (bad != null) return refused(400, "invalid-name", bad);
        LockTable.LockRecord before = locks.record(b.lock());
        String holders = before == null ? "no holders" : "holders " + before.holders().stream()
            .map(h -> "session " + h.session() + " (" + principalOf(h.session()) + ") token " + h.token()).toList();
        long brokenAt = events.lastIndex() + 1; // the first lock.broken event (a waiter's grant may follow it)
        CellResult r = locks.breakLock(b.lock());
        if (r instanceof CellResult.Refused) return r;
        audit(brokenAt, b.principal(), "lock.broken", b.lock(), holders);
        return new CellResult.Done(brokenAt);
    }

    private CellResult setAcl(CellCommand.SetAcl a) {
        String bad = AclTable.problemWithPath(a.path());
        if (bad == null) bad = AclTable.problemWithSubject(a.subject());
        if (bad == null && a.permission() == null) bad = "a permission is required: none, read, lock or admin";
        if (bad != null) return refused(400, "invalid-acl", bad);
        if (acls.size() >= MAX_ACL_ENTRIES && !acls.has(a.path(), a.subject())) {
            return refused(429, "quota-acls", "the cell already holds " + MAX_ACL_ENTRIES + " ACL entries");
        }
        acls.set(a.path(), a.subject(), a.permission());
        String what = a.subject() + " " + a.permission().wire();
        long index = append("acl.set", null, null, null, null, null, null, a.path() + " " + what).index();
        audit(index, a.principal(), "acl.set", a.path(), what);
        return new CellResult.Done(index);
    }

    private CellResult removeAcl(CellCommand.RemoveAcl a) {
        if (!acls.remove(a.path(), a.subject())) {
            return refused(404, "no-such-acl", "no ACL entry for " + a.subject() + " on " + a.path());
        }
        long index = append("acl.removed", null, null, null, null, null, null, a.path() + " " + a.subject()).index();
        audit(index, a.principal(), "acl.removed", a.path(), a.subject());
        return new CellResult.Done(index);
    }

    private void audit(long index, String principal, String action, String target, String details) {
        audit.record(index, cellMillis, wallMillis, principal == null ? SessionTable.ANONYMOUS : principal, action,
            target, details);
    }

    private String principalOf(long session) {
        SessionTable.Session s = sessions.get(session);
        return s == null ? "?" : s.principal();
    }

    private CellResult endSession(long id, boolean expired) {
        SessionTable.Session s = sessions.get(id);
        if (s == null) return refused(404, "no-such-session", "session " + id + " does not exist or has already ended");
        locks.dropSession(s, expired);
        for (String key : List.copyOf(s.memberships())) {
            String[] gm = key.split("\u0000", 2);
            groups.remove(gm[0], gm[1]);
            append("member.left", null, gm[0], gm[1], id, null, null, expired ? "session expired" : "session closed");
        }
        sessions.remove(id);
        append(expired ? "session.expired" : "session.closed", null, null, null, id, null, null, null);
        return new CellResult.Done(events.lastIndex());
    }

    private CellResult join(CellCommand.Join j) {
        String bad = Names.problemWithPath(j.group());
        if (bad == null) bad = Names.problemWithMember(j.member());
        if (bad != null) return refused(400, "invalid-name", bad);
        String payload = j.payload() == null ? "" : j.payload();
        if (payload.length() > limits.maxPayloadBytes()) {
            return refused(413, "payload-too-large", "a member payload is at most " + limits.maxPayloadBytes() + " bytes");
        }
        GroupTable.Member had = groups.get(j.group(), j.member());
        if (had != null && had.session() != j.session()) {
            return refused(409, "member-taken", "member " + j.member() + " of " + j.group() + " is held by session " + had.session());
        }
        SessionTable.Session s = sessions.get(j.session());
        if (had == null && s.memberships().size() >= limits.maxMembershipsPerSession()) {
            return refused(429, "quota-memberships", "session " + s.id() + " already has " + limits.maxMembershipsPerSession() + " memberships");
        }
        groups.put(new GroupTable.Member(j.group(), j.member(), j.session(), payload, had == null ? wallMillis : had.joinedWallMillis()));
        s.memberships().add(GroupTable.key(j.group(), j.member()));
        long index = append("member.joined", null, j.group(), j.member(), j.session(), null, null, had == null ? null : "payload updated").index();
        return new CellResult.Done(index);
    }

    private CellResult leave(CellCommand.Leave l) {
        GroupTable.Member had = groups.get(l.group(), l.member());
        if (had == null || had.session() != l.session()) {
            return refused(404, "not-member", "session " + l.session() + " is not member " + l.member() + " of " + l.group());
        }
        groups.remove(l.group(), l.member());
        sessions.get(l.session()).memberships().remove(GroupTable.key(l.group(), l.member()));
        return new CellResult.Done(append("member.left", null, l.group(), l.member(), l.session(), null, null, null).index());
    }

    private CellResult sessionThen(long session, java.util.function.Supplier<CellResult> action) {
        if (sessions.get(session) == null) return refused(404, "no-such-session", "session " + session + " does not exist or has expired");
        return action.get();
    }

    private static CellResult refused(int status, String type, String detail) {
        return new CellResult.Refused(status, type, detail);
    }

    private Event append(String type, String lock, String group, String member, Long session, Long token, LockMode mode,
                         String detail) {
        return events.append(type, lock, group, member, session, token, mode, detail, wallMillis);
    }

    // ---- LockTable.Effects ----------------------------------------------------------------------

    @Override
    public long now() {
        return cellMillis;
    }

    @Override
    public long wall() {
        return wallMillis;
    }

    @Override
    public long nextToken() {
        return ++lastToken;
    }

    @Override
    public void event(String type, String lock, Long session, Long token, LockMode mode, String detail) {
        append(type, lock, null, null, session, token, mode, detail);
    }

    @Override
    public SessionTable sessions() {
        return sessions;
    }

    // ---- reads (the loop's thread only, under the master lease) -----------------------------------

    public Limits limits() {
        return limits;
    }

    public long cellMillis() {
        return cellMillis;
    }

    public Optional<Register> register(String key) {
        return Optional.ofNullable(registers.get(key));
    }

    public Optional<SessionTable.SessionView> session(long id) {
        return Optional.ofNullable(sessions.get(id)).map(SessionTable::view);
    }

    public List<SessionTable.SessionView> sessionViews() {
        return sessions.views();
    }

    public List<Long> sessionIds() {
        List<Long> ids = new ArrayList<>(sessions.size());
        for (SessionTable.Session s : sessions.all()) ids.add(s.id());
        return ids;
    }

    public long sessionTimeout(long id) {
        SessionTable.Session s = sessions.get(id);
        return s == null ? -1 : s.timeoutMillis();
    }

    /** The sequencers of every lock {@code session} holds now. */
    public List<Sequencer> heldBy(long session) {
        SessionTable.Session s = sessions.get(session);
        if (s == null) return List.of();
        List<Sequencer> out = new ArrayList<>();
        for (String name : s.locks()) {
            LockTable.LockRecord r = locks.record(name);
            if (r == null) continue;
            for (LockTable.Holder h : r.holders()) {
                if (h.session() == session) out.add(new Sequencer(name, h.mode(), session, h.token()));
            }
        }
        return out;
    }

    public LockTable.LockRecord lock(String name) {
        return locks.record(name);
    }

    public List<LockTable.LockRecord> locks(String prefix, int max) {
        return locks.list(prefix, max);
    }

    public boolean isCurrent(Sequencer s) {
        return locks.isCurrent(s);
    }

    public long nextDeadline() {
        return locks.nextDeadline();
    }

    public List<GroupTable.Member> members(String group) {
        return groups.members(group);
    }

    public long lastEventIndex() {
        return events.lastIndex();
    }

    public long firstRetainedEvent() {
        return events.firstRetained();
    }

    public List<Event> eventsFrom(long from, int max) {
        return events.from(from, max);
    }

    /** The ACL rule for a caller on a name (see {@link AclTable}). */
    public AclTable.Decision decide(String principal, java.util.Set<String> groups, String name) {
        return acls.decide(principal, groups, name);
    }

    public List<Acls.Entry> aclEntries(String prefix) {
        return acls.entries(prefix);
    }

    /** The principal that owns {@code session}, or null if it does not exist. */
    public String sessionPrincipal(long session) {
        SessionTable.Session s = sessions.get(session);
        return s == null ? null : s.principal();
    }

    public List<Audit.Entry> auditFrom(long from, int max) {
        return audit.from(from, max);
    }

    public long firstRetainedAudit() {
        return audit.firstRetained();
    }

    public int sessionCount() {
        return sessions.size();
    }

    public int lockCount() {
        return locks.size();
    }

    // ---- snapshots ------------------------------------------------------------------------------

    /** Copies of every table now (immutable records in fresh lists), encoded as JSON when asked. */
    @Override
    public Supplier<byte[]> snapshot() {
        SnapshotData d = new SnapshotData(cellMillis, lastToken, sessions.lastId(), events.lastIndex(), events.all(),
            new TreeMap<>(registers), sessions.views(), locks.records(), groups.all(), acls.entries("/"), audit.all());
        return () -> {
            try {
                return JSON.writeValueAsBytes(d);
            } catch (IOException e) {
                throw new UncheckedIOException("the state always encodes", e);
            }
        };
    }

    @Override
    public void restore(byte[] snapshot) {
        try {
            SnapshotData d = JSON.readValue(snapshot, SnapshotData.class);
            cellMillis = d.cellMillis();
            lastToken = d.lastToken();
            events.restore(d.lastEvent(), d.events());
            registers.clear();
            registers.putAll(d.registers());
            sessions.restore(d.lastSession(), d.sessions());
            locks.restore(d.locks());
            groups.restore(d.members());
            acls.restore(d.acls() == null ? List.of() : d.acls());
            audit.restore(d.audit());
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt cell snapshot", e);
        }
    }

    static byte[] encode(CellResult r) {
        try {
            return JSON.writeValueAsBytes(r);
        } catch (IOException e) {
            throw new UncheckedIOException("results always encode", e);
        }
    }

    public static CellResult decodeResult(byte[] bytes) {
        try {
            return JSON.readValue(bytes, CellResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException("results are written by this code and always decode", e);
        }
    }

    public static byte[] encode(CellCommand.Envelope e) {
        try {
            return JSON.writeValueAsBytes(e);
        } catch (IOException ex) {
            throw new UncheckedIOException("commands always encode", ex);
        }
    }
}
