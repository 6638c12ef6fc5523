package io.warden.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.paxos.PlantedBug;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The checkers bite: each planted protocol bug is found within a bounded number of seeds, by the
 * invariant that guards against it. Without this, a green simulation could mean blind checkers.
 */
class PlantedBugTest {
    private static final int SEED_BOUND = 2_000;

    @ParameterizedTest(name = "{0} is caught by {1}")
    @CsvSource({
        "IGNORE_ACCEPTED_IN_PHASE1, AGREEMENT DURABILITY",
        "LEASE_IGNORES_DRIFT,       SINGLE_LEASE LEASE_READ",
        "NO_GAP_FILL,               LIVENESS",
        "ACK_BEFORE_FSYNC,          AGREEMENT DURABILITY LEASE_READ APPLIED_PREFIX",
        "OWN_VOTE_BEFORE_SYNC,      AGREEMENT DURABILITY APPLIED_PREFIX",
        "SNAPSHOT_FORGETS_DEDUP,    APPLIED_PREFIX",
        "NO_WAIT_AFTER_RESTART,     SINGLE_LEASE LEASE_READ",
        "READ_WITHOUT_LEASE,        LEASE_READ",
    })
    void simulatorFindsThePlantedBug(PlantedBug bug, String expectedInvariants) {
        Set<Violation.Invariant> expected = EnumSet.noneOf(Violation.Invariant.class);
        for (String name : expectedInvariants.trim().split("\\s+")) expected.add(Violation.Invariant.valueOf(name));
        SimResult found = null;
        for (long seed = 1; seed <= SEED_BOUND && found == null; seed++) {
            SimResult r = new Simulation(SimConfig.of(3, seed).withBugs(Set.of(bug))).run();
            if (!r.ok()) found = r;
        }
        assertThat(found).as("%s found within %d seeds", bug, SEED_BOUND).isNotNull();
        System.out.println(bug + ": seed " + found.config().seed() + " -> " + found.violation());
        assertThat(found.violation().invariant()).isIn(expected);
    }
}
