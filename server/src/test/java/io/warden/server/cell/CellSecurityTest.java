package io.warden.server.cell;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.Acls;
import io.warden.api.Audit;
import io.warden.api.LockMode;
import io.warden.api.Permission;
import io.warden.paxos.Command;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ACLs, session owners and the audit trail as replicated state: applied by commands, kept by snapshots. */
class CellSecurityTest {
    private CellState cell = new CellState(Limits.defaults());
    private long slot;

    private CellResult at(long cellMillis, CellCommand c) {
        byte[] payload = CellState.encode(new CellCommand.Envelope(cellMillis, 1_700_000_000_000L + cellMillis, c));
        return CellState.decodeResult(cell.apply(++slot, new Command(0, slot, payload)));
    }

    private long session(String principal) {
        return ((CellResult.SessionCreated) at(0, new CellCommand.CreateSession(10_000, "t", principal))).session();
    }

    @Test
    void aSessionRecordsItsPrincipalAndAnOwnerlessOneIsAnonymous() {
        long a = session("alice");
        long n = session(null);
        assertThat(cell.sessionPrincipal(a)).isEqualTo("alice");
        assertThat(cell.sessionPrincipal(n)).isEqualTo("anonymous");
        assertThat(cell.session(a).orElseThrow().principal()).isEqualTo("alice");
        assertThat(cell.sessionPrincipal(999)).isNull();
    }

    @Test
    void aclEntriesAreSetReplacedAndRemovedByCommandsAndAudited() {
        CellResult set = at(5, new CellCommand.SetAcl("/jobs/", "alice", Permission.READ, "root"));
        at(6, new CellCommand.SetAcl("/jobs/", "alice", Permission.LOCK, "root"));
        assertThat(cell.aclEntries("/")).containsExactly(new Acls.Entry("/jobs/", "alice", Permission.LOCK));
        assertThat(cell.decide("alice", Set.of(), "/jobs/x").permission()).isEqualTo(Permission.LOCK);

        CellResult removed = at(7, new CellCommand.RemoveAcl("/jobs/", "alice", "root"));
        assertThat(removed).isInstanceOf(CellResult.Done.class);
        assertThat(cell.aclEntries("/")).isEmpty();
        assertThat(cell.decide("alice", Set.of(), "/jobs/x").permission()).isEqualTo(Permission.NONE);
        assertThat(at(8, new CellCommand.RemoveAcl("/jobs/", "alice", "root")))
            .isEqualTo(new CellResult.Refused(404, "no-such-acl", "no ACL entry for alice on /jobs/"));

        assertThat(cell.auditFrom(0, 10)).extracting(Audit.Entry::action, Audit.Entry::principal, Audit.Entry::target, Audit.Entry::details)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple("acl.set", "root", "/jobs/", "alice read"),
                org.assertj.core.groups.Tuple.tuple("acl.set", "root", "/jobs/", "alice lock"),
                org.assertj.core.groups.Tuple.tuple("acl.removed", "root", "/jobs/", "alice"));
        Audit.Entry first = cell.auditFrom(0, 10).get(0);
        assertThat(first.index()).isEqualTo(((CellResult.Done) set).index());
        assertThat(first.cellMillis()).isEqualTo(5);
        assertThat(cell.eventsFrom(first.index(), 1).get(0).type()).isEqualTo("acl.set");
    }

    @Test
    void aBadEntryIsRefusedWholeAndNotAudited() {
        assertThat(at(1, new CellCommand.SetAcl("jobs", "alice", Permission.READ, "root"))).isInstanceOf(CellResult.Refused.class);
        assertThat(at(1, new CellCommand.SetAcl("/jobs/", "a b", Permission.READ, "root"))).isInstanceOf(CellResult.Refused.class);
        assertThat(at(1, new CellCommand.SetAcl("/jobs/", "alice", null, "root"))).isInstanceOf(CellResult.Refused.class);
        assertThat(cell.aclEntries("/")).isEmpty();
        assertThat(cell.auditFrom(0, 10)).isEmpty();
    }

    @Test
    void aBreakIsAuditedWithWhoBrokeItWhoHeldItAndTheBreaksEventIndex() {
        long holder = session("alice");
        long waiter = session("bob");
        at(1, new CellCommand.Acquire(holder, "/l", LockMode.EXCLUSIVE, 0, 0));
        at(2, new CellCommand.Acquire(waiter, "/l", LockMode.EXCLUSIVE, 60_000, 0));
        CellResult r = at(3, new CellCommand.BreakLock("/l", "ops"));
        long index = ((CellResult.Done) r).index();
        assertThat(cell.eventsFrom(index, 1).get(0).type()).isEqualTo("lock.broken");
        Audit.Entry e = cell.auditFrom(0, 10).get(0);
        assertThat(e.index()).isEqualTo(index);
        assertThat(e.principal()).isEqualTo("ops");
        assertThat(e.action()).isEqualTo("lock.broken");
        assertThat(e.target()).isEqualTo("/l");
        assertThat(e.details()).contains("session " + holder + " (alice)");
        // breaking a lock nobody holds changes nothing and is not audited
        at(4, new CellCommand.Release(waiter, "/l"));
        assertThat(at(5, new CellCommand.BreakLock("/l", "ops"))).isInstanceOf(CellResult.Refused.class);
        assertThat(cell.auditFrom(0, 10)).hasSize(1);
    }

    @Test
    void closingAnotherPrincipalsSessionIsAuditedClosingOnesOwnIsNot() {
        long a = session("alice");
        long b = session("bob");
        at(1, new CellCommand.CloseSession(a, "alice"));
        at(2, new CellCommand.CloseSession(b, "root"));
        assertThat(cell.auditFrom(0, 10)).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("session.ended");
            assertThat(e.principal()).isEqualTo("root");
            assertThat(e.target()).isEqualTo("session " + b);
            assertThat(e.details()).isEqualTo("owner bob");
        });
    }

    @Test
    void theAuditTrailKeepsTheNewestRetainedAudit() {
        Limits d = Limits.defaults();
        cell = new CellState(new Limits(d.minSessionTimeoutMillis(), d.defaultSessionTimeoutMillis(), d.maxSessionTimeoutMillis(),
            d.defaultLockDelayMillis(), d.maxLockDelayMillis(), d.maxWaitMillis(), d.maxSessions(), d.maxLocksPerSession(),
            d.maxMembershipsPerSession(), d.maxWaitersPerLock(), d.maxValueBytes(), d.maxPayloadBytes(), d.maxClientLabel(),
            d.retainedEvents(), 3));
        for (int i = 0; i < 5; i++) at(i, new CellCommand.SetAcl("/p" + i + "/", "alice", Permission.READ, "root"));
        assertThat(cell.auditFrom(0, 10)).extracting(Audit.Entry::target).containsExactly("/p2/", "/p3/", "/p4/");
        assertThat(cell.firstRetainedAudit()).isEqualTo(cell.auditFrom(0, 1).get(0).index());
    }

    @Test
    void aSnapshotCarriesAclsAuditAndSessionOwners() {
        long a = session("alice");
        at(1, new CellCommand.SetAcl("/jobs/", "group:ops", Permission.ADMIN, "root"));
        at(2, new CellCommand.SetAcl("/", "*", Permission.READ, "root"));
        byte[] snapshot = cell.snapshot().get();

        CellState copy = new CellState(Limits.defaults());
        copy.restore(snapshot);
        assertThat(copy.aclEntries("/")).isEqualTo(cell.aclEntries("/"));
        assertThat(copy.decide("carol", Set.of("ops"), "/jobs/x").permission()).isEqualTo(Permission.ADMIN);
        assertThat(copy.auditFrom(0, 10)).isEqualTo(cell.auditFrom(0, 10));
        assertThat(copy.sessionPrincipal(a)).isEqualTo("alice");
        assertThat(copy.snapshot().get()).isEqualTo(snapshot);
    }

    @Test
    void aSnapshotFromBeforeSecurityRestoresWithAnonymousOwnersAndNoAcls() {
        String old = "{\"cellMillis\":5,\"lastToken\":0,\"lastSession\":1,\"lastEvent\":1,\"events\":[],\"registers\":{},"
            + "\"sessions\":[{\"id\":1,\"timeoutMillis\":12000,\"client\":\"c\",\"createdWallMillis\":0,\"locks\":[],\"memberships\":[]}],"
            + "\"locks\":[],\"members\":[]}";
        cell.restore(old.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(cell.sessionPrincipal(1)).isEqualTo("anonymous");
        assertThat(cell.aclEntries("/")).isEmpty();
        assertThat(cell.auditFrom(0, 10)).isEmpty();
    }
}
