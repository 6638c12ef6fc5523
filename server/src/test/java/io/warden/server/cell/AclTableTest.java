package io.warden.server.cell;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.Permission;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How ACL entries are inherited down the name hierarchy (AclTable's javadoc states the rules). */
class AclTableTest {
    private final AclTable acls = new AclTable();

    @BeforeEach
    void entries() {
        acls.set("/", "root-reader", Permission.READ);
        acls.set("/", "*", Permission.NONE);
        acls.set("/jobs/", "alice", Permission.LOCK);
        acls.set("/jobs/", "group:ops", Permission.ADMIN);
        acls.set("/jobs/", "group:viewers", Permission.READ);
        acls.set("/jobs/secret/", "alice", Permission.NONE);
        acls.set("/jobs/batch-7", "bob", Permission.LOCK);
        acls.set("/public/", "*", Permission.READ);
    }

    @ParameterizedTest(name = "{0} in {1} on {2}: {3}")
    @CsvSource({
        // deny by default: nobody named anywhere above gets nothing
        "mallory, '',          /jobs/x,            none",
        "mallory, '',          /other,             none",
        // a prefix's entry covers every name below it, at any depth
        "alice,   '',          /jobs/x,            lock",
        "alice,   '',          /jobs/a/b/c,        lock",
        // ... but not the name that equals the prefix without its slash
        "alice,   '',          /jobs,              none",
        // a nearer entry replaces a farther one for that subject (narrowing)
        "alice,   '',          /jobs/secret/plan,  none",
        // ... and widens: bob has nothing under /jobs/ but lock on batch-7 itself
        "bob,     '',          /jobs/batch-7,      lock",
        "bob,     '',          /jobs/batch-8,      none",
        // groups: the highest of the caller's groups at the nearest level that names one
        "carol,   'ops',       /jobs/x,            admin",
        "carol,   'ops,viewers', /jobs/x,          admin",
        "dave,    'viewers',   /jobs/x,            read",
        // the caller's own entry beats its groups' at the same level
        "alice,   'ops',       /jobs/x,            lock",
        // '*' applies when neither the caller nor its groups are named at that level
        "mallory, '',          /public/readme,     read",
        // a level that says nothing about the caller is skipped, up to the root
        "root-reader, '',      /jobs/x,            read",
        "root-reader, '',      /public/readme,     read",
    })
    void decides(String principal, String groups, String name, String expected) {
        Set<String> gs = groups.isEmpty() ? Set.of() : Set.of(groups.split(","));
        assertThat(acls.decide(principal, gs, name).permission()).isEqualTo(Permission.fromWire(expected));
    }

    @Test
    void theDecisionNamesTheEntryThatMadeIt() {
        AclTable.Decision d = acls.decide("alice", Set.of(), "/jobs/secret/plan");
        assertThat(d.decidedBy()).isEqualTo(new io.warden.api.Acls.Entry("/jobs/secret/", "alice", Permission.NONE));
        assertThat(acls.decide("nobody", Set.of(), "/x").decidedBy()).isEqualTo(new io.warden.api.Acls.Entry("/", "*", Permission.NONE));
        assertThat(new AclTable().decide("nobody", Set.of(), "/x").decidedBy()).isNull();
    }

    @Test
    void levelsAreTheNameThenEachEnclosingPrefix() {
        assertThat(AclTable.chain("/jobs/batch-7")).containsExactly("/jobs/batch-7", "/jobs/", "/");
        assertThat(AclTable.chain("/jobs/")).containsExactly("/jobs/", "/");
        assertThat(AclTable.chain("/")).containsExactly("/");
    }

    @Test
    void permissionsNest() {
        assertThat(Permission.ADMIN.includes(Permission.LOCK)).isTrue();
        assertThat(Permission.LOCK.includes(Permission.READ)).isTrue();
        assertThat(Permission.READ.includes(Permission.LOCK)).isFalse();
        assertThat(Permission.NONE.includes(Permission.READ)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"/, true", "/jobs/, true", "/jobs/batch-7, true", "jobs/, false", "/jobs//, false", "'', false", "/a/../b, false"})
    void pathsThatMayCarryEntries(String path, boolean ok) {
        assertThat(AclTable.problemWithPath(path) == null).as(path).isEqualTo(ok);
    }

    @ParameterizedTest
    @CsvSource({"*, true", "alice, true", "group:ops, true", "svc@example.com, true", "group:, false", "'a b', false", "'', false"})
    void subjects(String subject, boolean ok) {
        assertThat(AclTable.problemWithSubject(subject) == null).as(subject).isEqualTo(ok);
    }
}
