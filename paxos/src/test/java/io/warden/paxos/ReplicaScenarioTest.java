package io.warden.paxos;

import static io.warden.paxos.SyncCluster.command;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenarios over a {@link SyncCluster}: three replicas, a synchronous network the test controls,
 * clocks that move only when told. Each test names the rule it checks.
 */
class ReplicaScenarioTest {

    private static List<String> payloads(SyncCluster.Node n) {
        return n.machine.payloads();
    }

    private static Map<Long, List<String>> appliedBySlot(SyncCluster.Node n) {
        Map<Long, List<String>> out = new TreeMap<>();
        for (Ready.Applied a : n.applied) {
            out.computeIfAbsent(a.slot(), s -> new ArrayList<>()).add(new String(a.command().payload(), StandardCharsets.UTF_8));
        }
        return out;
    }

    // ---- election and lease -----------------------------------------------------------------------

    @Test
    void aFreshCellElectsExactlyOneMaster() {
        // Rule: at most one replica holds the master lease at any instant (Chubby §2.2), and a
        // healthy cell elects one.
        SyncCluster cell = new SyncCluster(3, 1);
        Runnable atMostOne = () -> assertThat(cell.leaseHolders()).hasSizeLessThanOrEqualTo(1);
        assertThat(cell.runUntil(() -> cell.leaseHolders().size() == 1, 5_000, SyncCluster.TICK_MILLIS, atMostOne)).isTrue();
        cell.runFor(2_000, SyncCluster.TICK_MILLIS, atMostOne); // and it stays that way

        int master = cell.leaseHolders().get(0);
        for (SyncCluster.Node n : cell.nodes()) {
            ReplicaStatus s = n.replica.status();
            assertThat(s.role()).isEqualTo(n.id == master ? Role.MASTER : Role.FOLLOWER);
            assertThat(s.masterId()).as("replica %d follows", n.id).isEqualTo(master);
        }
        assertThat(cell.replica(master).status().leaseRemainingMillis()).isPositive();
    }

    @Test
    void aMasterHoldsItsLeaseOnlyAfterAMajorityGrantsARenewalRound() {
        // Rule: the lease is held only on a majority's grants, counted from the request's send time
        // and shortened by the drift bound (leases/ LeaseTerms.holderMillis).
        SyncCluster cell = new SyncCluster(3, 2);
        cell.dropIf(m -> m instanceof Message.LeaseGrant);
        cell.advance(cell.options().electionJitterMillis() + 1);
        cell.tick(1);
        cell.deliverAll();
        assertThat(cell.replica(1).status().role()).isEqualTo(Role.MASTER);
        assertThat(cell.replica(1).holdsLease()).as("only its own grant so far").isFalse();
        assertThat(cell.replica(1).readIndex()).isEmpty();

        cell.clearDrops();
        cell.advance(cell.options().renewIntervalMillis());
        long sentAt = cell.node(1).clock.nowMillis();
        cell.tick(1); // one renewal round
        cell.deliverAll();
        assertThat(cell.replica(1).holdsLease()).isTrue();
        assertThat(cell.replica(1).status().leaseRemainingMillis()).isEqualTo(SyncCluster.LEASE.holderMillis());
        assertThat(cell.replica(2).status().masterId()).isEqualTo(1);

        cell.advance(SyncCluster.LEASE.holderMillis() - 1); // no tick: nothing renews it
        assertThat(cell.node(1).clock.nowMillis()).isEqualTo(sentAt + SyncCluster.LEASE.holderMillis() - 1);
        assertThat(cell.replica(1).holdsLease()).isTrue();
        cell.advance(1);
        assertThat(cell.replica(1).holdsLease()).isFalse();
    }

    @Test
    void aGrantorRefusesOtherCandidatesUntilItsGrantRunsOut() {
        // Rule: a grantor honours its grant for D(1+ε) from the moment it granted, on its own clock
        // (LeaseTerms.grantorMillis), and promises no other candidate before then.
        SyncCluster cell = new SyncCluster(3, 18);
        cell.electMaster(1);
        Ballot promised = cell.replica(2).status().ballot();
        Ballot challenger = Ballot.above(promised, 3);
        cell.advance(SyncCluster.LEASE.grantorMillis() - 1); // nobody ticks: no renewal
        assertThat(cell.inject(new Message.Prepare(3, 2, challenger, 1)).messages())
            .containsExactly(new Message.Reject(2, 3, challenger, promised));
        cell.advance(1);
        assertThat(cell.inject(new Message.Prepare(3, 2, challenger, 1)).messages())
            .singleElement().isInstanceOf(Message.Promise.class);
        assertThat(cell.replica(2).status().ballot()).isEqualTo(challenger);
    }

    @Test
    void aProposalAtAFollowerIsRefusedWithAHint() {
        // Rule: only the master proposes; others redirect clients to it.
        SyncCluster cell = new SyncCluster(3, 3);
        cell.electMaster(1);
        assertThat(cell.propose(2, command(1, 1, "x"))).isFalse();
        assertThat(cell.replica(2).status().masterId()).isEqualTo(1);
    }

    // ---- agreement and catching up ----------------------------------------------------------------

    @Test
    void proposalsAreAppliedOnEveryReplicaInTheSameOrder() {
        // Rule: every replica applies the same values in the same slots (Multi-Paxos agreement).
        SyncCluster cell = new SyncCluster(3, 4);
        cell.electMaster(1);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            assertThat(cell.propose(1, command(100 + i % 3, i, "c" + i))).isTrue();
            expected.add("c" + i);
            if (i % 7 == 0) cell.deliverAll();
        }
        cell.runFor(600);

        assertThat(appliedBySlot(cell.node(1)).size()).as("slots used").isGreaterThan(1);
        for (SyncCluster.Node n : cell.nodes()) {
            assertThat(payloads(n)).as("replica %d", n.id).containsExactlyElementsOf(expected);
            assertThat(appliedBySlot(n)).isEqualTo(appliedBySlot(cell.node(1)));
            assertThat(n.replica.appliedThrough()).isEqualTo(cell.replica(1).appliedThrough());
        }
    }

    @Test
    void aRealCellsMasterBatchesWhatArrivesWhileItsSlotIsInFlight() {
        // Rule (a real cell's PaxosOptions.defaults(), docs/benchmarks.md item 25): one slot in
        // flight; commands that arrive meanwhile wait and go out together in the next slot, so a
        // busy cell runs fewer, fuller rounds (each a vote, a log write and an fsync on every replica).
        PaxosOptions real = PaxosOptions.defaults();
        SyncCluster cell = new SyncCluster(3, 21, SyncCluster.scenarioOptions().withBatching(real.windowSlots(), real.maxBatchCommands()));
        cell.electMaster(1);
        for (String p : List.of("a", "b", "c", "d")) assertThat(cell.propose(1, command(7, p.charAt(0), p))).isTrue();
        cell.runFor(600);

        List<List<String>> slots = new ArrayList<>(appliedBySlot(cell.node(1)).values());
        assertThat(slots).containsExactly(List.of("a"), List.of("b", "c", "d"));
    }

    @Test
    void whatTheDriverQueuesInTheTurnThatDecidesASlotGoesOutInTheNextSlot() {
        // Rule: a decision frees the window, but the next slot goes out at ready(), so commands the
        // driver queues in the same turn (the real cell's loop queues writes that arrived while
        // the window was full) join it instead of waiting a whole round more.
        PaxosOptions real = PaxosOptions.defaults();
        SyncCluster cell = new SyncCluster(3, 22, SyncCluster.scenarioOptions().withBatching(real.windowSlots(), real.maxBatchCommands()));
        cell.electMaster(1);
        assertThat(cell.propose(1, command(7, 1, "a"))).isTrue();
        assertThat(cell.propose(1, command(7, 2, "b"))).isTrue();
        for (Message m : cell.inFlight()) if (m instanceof Message.Accept) cell.inject(m); // the followers vote
        Message.Accepted own = null;
        Message.Accepted second = null;
        for (Message m : cell.inFlight()) {
            if (m instanceof Message.Accepted v && v.from() == 1) own = v;
            if (m instanceof Message.Accepted v && v.from() == 2) second = v;
        }
        assertThat(own).isNotNull();
        assertThat(second).isNotNull();
        cell.discardInFlight();
        cell.inject(own); // one vote of the two it takes: nothing decided yet

        cell.node(1).replica.step(second); // decides "a"; the turn goes on before ready()
        cell.node(1).replica.propose(command(7, 3, "c"));
        cell.collect(cell.node(1));
        cell.runFor(600);

        List<List<String>> slots = new ArrayList<>(appliedBySlot(cell.node(1)).values());
        assertThat(slots).containsExactly(List.of("a"), List.of("b", "c"));
    }

    @Test
    void aFollowerThatMissedSlotsCatchesUp() {
        // Rule: a learner that finds a gap below the master's decided prefix asks for the decided
        // values (CatchUpRequest) and applies them in order.
        SyncCluster cell = new SyncCluster(3, 5);
        cell.electMaster(1);
        cell.isolate(3);
        for (int i = 0; i < 12; i++) cell.propose(1, command(7, i, "m" + i));
        cell.runFor(300); // shorter than an election timeout: 3 does not campaign
        assertThat(cell.replica(3).appliedThrough()).isZero();
        assertThat(cell.replica(1).appliedThrough()).isGreaterThanOrEqualTo(3);

        cell.heal();
        cell.runFor(500);
        assertThat(cell.deliveredTo(3, Message.CatchUp.class)).isNotEmpty();
        assertThat(cell.deliveredTo(3, Message.InstallSnapshot.class)).isEmpty();
        assertThat(payloads(cell.node(3))).isEqualTo(payloads(cell.node(1))).hasSize(12);
        assertThat(cell.replica(3).appliedThrough()).isEqualTo(cell.replica(1).appliedThrough());
        assertThat(cell.replica(3).status().role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void aFollowerBehindTheSnapshotCatchesUpByInstallSnapshot() {
        // Rule: slots compacted into a snapshot can only be transferred as the snapshot, which
        // carries the exactly-once table too (a retry after the transfer is still a duplicate).
        SyncCluster cell = new SyncCluster(3, 6, SyncCluster.scenarioOptions().withSnapshotEverySlots(4).withBatching(8, 1));
        cell.electMaster(1);
        cell.isolate(3);
        for (int i = 1; i <= 20; i++) {
            cell.propose(1, command(9, i, "s" + i));
            cell.deliverAll();
        }
        cell.runFor(300);
        assertThat(cell.replica(1).status().snapshotSlot()).isGreaterThanOrEqualTo(16);
        assertThat(cell.replica(3).appliedThrough()).isZero();

        cell.heal();
        cell.runFor(600);
        assertThat(cell.deliveredTo(3, Message.InstallSnapshot.class)).isNotEmpty();
        assertThat(cell.replica(3).appliedThrough()).isEqualTo(cell.replica(1).appliedThrough());
        assertThat(payloads(cell.node(3))).isEqualTo(payloads(cell.node(1))).hasSize(20);
        assertThat(cell.replica(3).status().snapshotSlot()).isPositive();

        cell.propose(1, command(9, 20, "s20"));
        cell.runFor(400);
        for (SyncCluster.Node n : cell.nodes()) {
            assertThat(n.applied).as("replica %d", n.id).last().satisfies(a -> {
                assertThat(a.command().sequence()).isEqualTo(20);
                assertThat(a.disposition()).isEqualTo(Ready.Disposition.DUPLICATE);
            });
            assertThat(payloads(n)).hasSize(20);
        }
    }

    @Test
    void replicasTakeTheirSnapshotsAtStaggeredSlots() {
        // Rule: every snapshotEverySlots slots, each replica at its own phase (its place among the
        // members), so the three never encode and write a snapshot at the same moment.
        SyncCluster cell = new SyncCluster(3, 8, SyncCluster.scenarioOptions().withSnapshotEverySlots(30).withBatching(8, 1));
        cell.electMaster(1);
        for (int i = 1; i <= 100; i++) {
            cell.propose(1, command(11, i, "t" + i));
            cell.deliverAll();
        }
        cell.runFor(300);
        java.util.Set<Long> phases = new java.util.HashSet<>();
        for (SyncCluster.Node n : cell.nodes()) {
            long slot = cell.replica(n.id).status().snapshotSlot();
            assertThat(slot).as("replica %d snapshot", n.id).isPositive();
            assertThat(cell.replica(n.id).appliedThrough() - slot).as("replica %d log above its snapshot", n.id).isLessThan(30);
            phases.add(Math.floorMod(slot + 30L * (n.id - 1) / 3, 30L));
        }
        assertThat(phases).as("every replica's snapshots land on its own phase").containsExactly(0L);
        assertThat(cell.nodes().stream().map(n -> cell.replica(n.id).status().snapshotSlot()).distinct().count())
            .as("three different snapshot slots").isEqualTo(3);
    }

    // ---- lease safety across a partition -----------------------------------------------------------

    @Test
    void anIsolatedMastersLeaseRunsOutBeforeAnotherIsElected() {
        // Rule: the old master stops relying on its lease (D(1-ε) from its request, on its clock)
        // before any grantor stops honouring it (D(1+ε) from its grant, on its clock), so the old
        // lease is over before a new master can hold one (Chubby §2.2). Clocks at the drift edges:
        // the old master's runs slow, the others' fast.
        SyncCluster cell = new SyncCluster(3, 7);
        cell.node(1).clock.rate(0.99);
        cell.node(2).clock.rate(1.01);
        cell.node(3).clock.rate(1.01);
        cell.electMaster(1);
        cell.runFor(300);
        assertThat(cell.leaseHolders()).containsExactly(1);

        cell.partition(Set.of(1));
        assertThat(cell.propose(1, command(3, 1, "minority"))).isTrue(); // a minority decides nothing
        long[] oldLostAt = {-1};
        long[] newHeldAt = {-1};
        long[] t = {0};
        boolean elected = cell.runUntil(() -> cell.replica(2).holdsLease() || cell.replica(3).holdsLease(), 5_000, 1, () -> {
            t[0]++;
            if (oldLostAt[0] < 0 && !cell.replica(1).holdsLease()) oldLostAt[0] = t[0];
            if (newHeldAt[0] < 0 && (cell.replica(2).holdsLease() || cell.replica(3).holdsLease())) {
                newHeldAt[0] = t[0];
                assertThat(cell.replica(1).holdsLease()).as("old master at the moment a new one holds").isFalse();
            }
        });
        assertThat(elected).isTrue();
        assertThat(oldLostAt[0]).isPositive().isLessThanOrEqualTo(newHeldAt[0]);
        int newMaster = cell.leaseHolders().get(0);

        cell.heal();
        cell.runFor(600, SyncCluster.TICK_MILLIS, () -> assertThat(cell.leaseHolders()).hasSizeLessThanOrEqualTo(1));
        // Rule: a deposed master learns of the higher ballot, steps down and serves no reads.
        assertThat(cell.replica(1).status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(cell.replica(1).status().masterId()).isEqualTo(newMaster);
        assertThat(cell.replica(1).readIndex()).isEmpty();
        assertThat(cell.leaseHolders()).containsExactly(newMaster);
        assertThat(cell.node(1).abandoned).extracting(Command::sequence).containsExactly(1L);
        for (SyncCluster.Node n : cell.nodes()) assertThat(payloads(n)).doesNotContain("minority");
    }

    @Test
    void aPausedMasterServesNoReadsWhenItWakesUpAfterItsLease() {
        // Rule: the lease is judged on the holder's own clock at the moment of the read, not at its
        // last tick: a master that was paused past its lease refuses reads before it notices anything.
        SyncCluster cell = new SyncCluster(3, 8);
        cell.electMaster(1);
        cell.runFor(300);
        cell.isolate(1);
        cell.freeze(1, true);
        assertThat(cell.runUntil(() -> cell.leaseHolders().stream().anyMatch(id -> id != 1), 5_000)).isTrue();

        assertThat(cell.replica(1).status().role()).as("it has not noticed yet").isEqualTo(Role.MASTER);
        assertThat(cell.replica(1).holdsLease()).isFalse();
        assertThat(cell.replica(1).readIndex()).isEmpty();
        assertThat(cell.propose(1, command(3, 1, "late"))).isTrue(); // accepted for proposal, never decided

        cell.heal();
        cell.freeze(1, false);
        cell.runFor(600);
        assertThat(cell.replica(1).status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(cell.replica(1).readIndex()).isEmpty();
        assertThat(cell.node(1).abandoned).extracting(Command::sequence).containsExactly(1L);
        for (SyncCluster.Node n : cell.nodes()) assertThat(payloads(n)).doesNotContain("late");
    }

    // ---- restart --------------------------------------------------------------------------------------

    @Test
    void aRestartedReplicaWaitsOutTheLeaseItMayHaveGranted() {
        // Rule: a grant is not persisted, so a restarted acceptor neither promises, grants nor
        // campaigns until a grant it forgot must have run out (Paxos Made Live §5.2, Chubby §2.2).
        SyncCluster cell = new SyncCluster(3, 9);
        cell.electMaster(1);
        cell.propose(1, command(1, 1, "before the crash"));
        cell.runFor(300);
        Ballot promised = cell.replica(2).status().ballot();

        cell.crash(2);
        cell.restart(2);
        long restartedAt = cell.node(2).clock.nowMillis();
        ReplicaStatus s = cell.replica(2).status();
        assertThat(s.recovering()).isTrue();
        assertThat(s.ballot()).isEqualTo(promised);

        Ready r = cell.inject(new Message.Prepare(3, 2, new Ballot(99, 3), 1));
        assertThat(r.messages()).containsExactly(new Message.Reject(2, 3, new Ballot(99, 3), promised));
        r = cell.inject(new Message.LeaseRenew(1, 2, promised, 77, 0));
        assertThat(r.messages()).as("no grant while recovering").isEmpty();
        cell.discardInFlight();

        cell.isolate(2); // it hears from nobody: left alone it would campaign
        int sentBefore = cell.sentBy(2, Message.Prepare.class).size();
        long wait = SyncCluster.LEASE.forgottenGrantWaitMillis();
        cell.runFor(wait - 20, 1, () -> {
            if (cell.node(2).clock.nowMillis() < restartedAt + wait) {
                assertThat(cell.replica(2).status().recovering()).isTrue();
                assertThat(cell.replica(2).status().role()).isEqualTo(Role.FOLLOWER);
            }
        });
        assertThat(cell.sentBy(2, Message.Prepare.class)).hasSize(sentBefore);

        assertThat(cell.runUntil(() -> cell.replica(2).status().role() == Role.CANDIDATE, 2_000, 1, () -> {})).isTrue();
        assertThat(cell.node(2).clock.nowMillis()).isGreaterThanOrEqualTo(restartedAt + wait);
        assertThat(cell.replica(2).status().recovering()).isFalse();

        // Healed, the cell settles on one master again and the restarted replica learns what it
        // had accepted but not durably learned (decisions are not synced: they are learned again).
        cell.heal();
        assertThat(cell.runUntil(() -> cell.leaseHolder().isPresent() && payloads(cell.node(2)).size() == 1, 5_000)).isTrue();
        assertThat(payloads(cell.node(2))).containsExactly("before the crash");
    }

    @Test
    void aRestartedReplicaRejoinsTheCell() {
        // Rule: after its wait, a restarted replica follows the master again and learns what it missed.
        SyncCluster cell = new SyncCluster(3, 10);
        cell.electMaster(1);
        cell.propose(1, command(1, 1, "a"));
        cell.runFor(300);
        cell.crash(3);
        cell.propose(1, command(1, 2, "b"));
        cell.runFor(300);
        cell.restart(3);
        cell.propose(1, command(1, 3, "c"));
        cell.runFor(2_000);
        assertThat(cell.leaseHolders()).containsExactly(1);
        assertThat(payloads(cell.node(3))).containsExactly("a", "b", "c");
        assertThat(cell.replica(3).status().masterId()).isEqualTo(1);
    }

    // ---- a new master and what the old one left ------------------------------------------------------

    @Test
    void aNewMasterFillsTheGapADeposedMasterLeftWithANoop() {
        // Rule: a new master proposes, in every slot up to the highest one reported in phase 1, the
        // value of the highest ballot reported there, and a no-op where nothing was (Paxos Made
        // Simple §3).
        SyncCluster cell = new SyncCluster(3, 11, SyncCluster.scenarioOptions().withBatching(8, 1));
        cell.electMaster(1);
        long base = cell.replica(1).status().decidedThrough() + 1;
        long gap = base + 1;
        cell.dropIf(m -> m instanceof Message.Accept a && a.slot() == gap && a.to() != 1);
        for (String p : List.of("A", "B", "C")) cell.propose(1, command(5, p.charAt(0), p));
        cell.deliverAll();
        assertThat(cell.node(1).decided).containsOnlyKeys(base, base + 2);

        cell.crash(1);
        cell.clearDrops();
        assertThat(cell.runUntil(() -> cell.leaseHolder().isPresent(), 5_000)).isTrue();
        cell.runFor(300);
        SyncCluster.Node master = cell.leaseHolder().orElseThrow();

        assertThat(master.decided.get(gap)).isEqualTo(Value.NOOP);
        assertThat(master.decided.get(base)).isEqualTo(new Value.Batch(List.of(command(5, 'A', "A"))));
        assertThat(master.decided.get(base + 2)).isEqualTo(new Value.Batch(List.of(command(5, 'C', "C"))));
        for (SyncCluster.Node n : cell.nodes()) {
            if (n.up()) assertThat(payloads(n)).as("replica %d", n.id).containsExactly("A", "C");
        }

        // The deposed master accepted B in the gap; once back it learns the no-op instead.
        cell.restart(1);
        cell.runFor(2_500);
        assertThat(payloads(cell.node(1))).containsExactly("A", "C");
        assertThat(cell.replica(1).appliedThrough()).isEqualTo(master.replica.appliedThrough());
    }

    @Test
    void aNewMasterReadsOnlyOnceItHasDecidedWhatItInherited() {
        // Rule: a master serves reads only while it holds its lease AND has decided every slot it
        // inherited in phase 1; before that, something may be decided it does not know yet.
        SyncCluster cell = new SyncCluster(3, 12);
        cell.electMaster(1);
        cell.dropIf(m -> m instanceof Message.Accepted);
        cell.propose(1, command(2, 1, "inherited"));
        cell.deliverAll();                 // accepted by all three, decided by nobody
        cell.crash(1);
        assertThat(cell.runUntil(() -> cell.leaseHolder().isPresent(), 5_000)).isTrue();
        SyncCluster.Node master = cell.leaseHolder().orElseThrow();
        assertThat(master.replica.holdsLease()).isTrue();
        assertThat(master.replica.readIndex()).as("leased, not yet recovered").isEmpty();

        cell.clearDrops();
        cell.runFor(200);                  // the inherited slot is re-proposed, acknowledged, decided
        OptionalLong index = master.replica.readIndex();
        assertThat(index).isPresent();
        assertThat(index.getAsLong()).isEqualTo(master.replica.status().decidedThrough());
        assertThat(payloads(master)).containsExactly("inherited");
    }

    // ---- exactly once -----------------------------------------------------------------------------

    @Test
    void aRetriedCommandIsAppliedOnce() {
        // Rule: a command proposed again with the same (clientId, sequence) is decided again but
        // applied once; the retry is answered with the first result.
        SyncCluster cell = new SyncCluster(3, 13);
        cell.electMaster(1);
        Command c = command(42, 7, "once");
        cell.propose(1, c);
        cell.deliverAll();
        cell.propose(1, command(42, 7, "once"));
        cell.runFor(400);

        List<Ready.Applied> outcomes = cell.node(1).applied.stream().filter(a -> a.command().equals(c)).toList();
        assertThat(outcomes).extracting(Ready.Applied::disposition)
            .containsExactly(Ready.Disposition.APPLIED, Ready.Disposition.DUPLICATE);
        assertThat(outcomes.get(1).result()).isEqualTo(outcomes.get(0).result());
        assertThat(outcomes.get(1).slot()).isGreaterThan(outcomes.get(0).slot());
        for (SyncCluster.Node n : cell.nodes()) {
            assertThat(payloads(n)).as("replica %d", n.id).containsExactly("once");
            assertThat(n.machine.applyCalls).isEqualTo(1);
        }
    }

    // ---- reads --------------------------------------------------------------------------------------

    @Test
    void readIndexOnlyOnALeasedRecoveredMaster() {
        // Rule: linearizable reads only at the master while its lease holds (Chubby §2.2).
        SyncCluster cell = new SyncCluster(3, 14);
        cell.electMaster(1);
        cell.propose(1, command(1, 1, "x"));
        cell.runFor(300);

        OptionalLong index = cell.replica(1).readIndex();
        assertThat(index).isPresent();
        assertThat(index.getAsLong()).isEqualTo(cell.replica(1).status().decidedThrough());
        assertThat(cell.replica(1).appliedThrough()).isGreaterThanOrEqualTo(index.getAsLong());
        assertThat(cell.replica(2).readIndex()).as("follower").isEmpty();
        assertThat(cell.replica(3).readIndex()).as("follower").isEmpty();

        cell.isolate(3);
        assertThat(cell.runUntil(() -> cell.replica(3).status().role() == Role.CANDIDATE, 3_000)).isTrue();
        assertThat(cell.replica(3).readIndex()).as("candidate").isEmpty();
        assertThat(cell.replica(1).readIndex()).as("master, unaffected").isPresent();
    }

    // ---- what is ignored or refused ----------------------------------------------------------------

    @Test
    void messagesFromNonMembersAreIgnored() {
        // Rule: only members of the configuration take part; anything else is dropped unanswered.
        SyncCluster cell = new SyncCluster(3, 15);
        cell.electMaster(1);
        cell.propose(1, command(1, 1, "x"));
        cell.runFor(300);
        ReplicaStatus before = cell.replica(2).status();
        Ballot huge = new Ballot(1_000, 9);
        long next = before.decidedThrough() + 1;
        Value evil = new Value.Batch(List.of(command(66, 1, "evil")));

        List<Message> strangers = List.of(
            new Message.Prepare(9, 2, huge, 1),
            new Message.Accept(9, 2, huge, next, evil, next),
            new Message.LeaseRenew(9, 2, huge, 1, next),
            new Message.CatchUpRequest(9, 2, 1),
            new Message.CatchUp(9, 2, List.of(new Message.DecidedEntry(next, evil))),
            new Message.InstallSnapshot(9, 2, new Snapshot(next + 5, new byte[] {1, 2, 3})),
            new Message.Prepare(0, 2, huge, 1),
            new Message.Prepare(-1, 2, huge, 1));
        for (Message m : strangers) assertThat(cell.inject(m).messages()).as("%s", m).isEmpty();
        // addressed to somebody else: not for this replica either
        assertThat(cell.stepOn(2, new Message.Prepare(3, 1, huge, 1)).messages()).isEmpty();

        ReplicaStatus after = cell.replica(2).status();
        assertThat(after.ballot()).isEqualTo(before.ballot());
        assertThat(after.decidedThrough()).isEqualTo(before.decidedThrough());
        assertThat(after.appliedThrough()).isEqualTo(before.appliedThrough());
        assertThat(payloads(cell.node(2))).containsExactly("x");
        cell.runFor(300);
        assertThat(cell.leaseHolders()).containsExactly(1);
    }

    @Test
    void aMastersOwnVoteCountsOnlyWhenItsDriverStepsItBackInAfterTheSync() {
        // Rule: a decision counts only durable votes. The master's own Accepted leaves in its Ready
        // like any reply (after the sync), so a driver that syncs in the background while it
        // handles a follower's vote cannot decide on a write a crash could still take back.
        SyncCluster cell = new SyncCluster(3, 17);
        cell.electMaster(1);
        cell.deliverAll();
        long decidedBefore = cell.replica(1).status().decidedThrough();
        cell.propose(1, command(7, 1, "x"));
        List<Message> out = cell.inFlight();
        cell.discardInFlight();
        Message own = out.stream().filter(m -> m instanceof Message.Accepted && m.to() == 1).findFirst().orElseThrow();
        assertThat(own.from()).as("the master's vote for its own proposal, to itself").isEqualTo(1);
        Message toFollower = out.stream().filter(m -> m instanceof Message.Accept && m.to() == 2).findFirst().orElseThrow();

        Message followerVote = cell.inject(toFollower).messages().get(0);
        assertThat(followerVote).isInstanceOf(Message.Accepted.class);
        cell.inject(followerVote);
        assertThat(cell.replica(1).status().decidedThrough()).as("one durable vote of three").isEqualTo(decidedBefore);
        assertThat(payloads(cell.node(1))).doesNotContain("x");

        cell.inject(own);
        assertThat(cell.replica(1).status().decidedThrough()).isEqualTo(decidedBefore + 1);
        assertThat(payloads(cell.node(1))).contains("x");
    }

    @Test
    void aStaleBallotIsRejected() {
        // Rule: an acceptor refuses any Prepare, Accept or LeaseRenew below what it promised, and
        // says what it is bound by (Paxos Made Simple §2.2).
        SyncCluster cell = new SyncCluster(3, 16);
        cell.electMaster(1);
        cell.runFor(100);
        Ballot promised = cell.replica(2).status().ballot();
        assertThat(promised.replicaId()).isEqualTo(1);
        Ballot stale = new Ballot(0, 3);
        assertThat(stale.isAbove(promised)).isFalse();
        long appliedBefore = cell.replica(2).appliedThrough();

        Ready r = cell.inject(new Message.Accept(3, 2, stale, 1, new Value.Batch(List.of(command(1, 1, "stale"))), 1));
        assertThat(r.messages()).containsExactly(new Message.Reject(2, 3, stale, promised));
        assertThat(r.syncRequired()).as("nothing was written").isFalse();
        r = cell.inject(new Message.Prepare(3, 2, stale, 1));
        assertThat(r.messages()).containsExactly(new Message.Reject(2, 3, stale, promised));
        r = cell.inject(new Message.LeaseRenew(3, 2, stale, 5, 1));
        assertThat(r.messages()).containsExactly(new Message.Reject(2, 3, stale, promised));
        cell.discardInFlight();

        cell.runFor(300);
        assertThat(cell.replica(2).status().ballot()).isEqualTo(promised);
        assertThat(cell.replica(2).appliedThrough()).isEqualTo(appliedBefore);
        assertThat(payloads(cell.node(2))).isEmpty();
        assertThat(cell.leaseHolders()).containsExactly(1);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40})
    void duellingCandidatesSettleOnOneMaster(long seed) {
        // Rule: randomized back-off lets duelling proposers settle (Paxos Made Simple §3 on
        // progress); never two lease holders while they do.
        SyncCluster cell = new SyncCluster(3, seed);
        Runnable atMostOne = () -> assertThat(cell.leaseHolders()).hasSizeLessThanOrEqualTo(1);
        // Every replica campaigns at the same instant, three times over.
        for (int round = 0; round < 3; round++) {
            cell.advance(SyncCluster.LEASE.grantorMillis() + cell.options().electionJitterMillis() + 1);
            cell.tickAll(); // every deadline and grant has passed: all three campaign before any message moves
            long candidates = cell.inFlight().stream().filter(m -> m instanceof Message.Prepare).map(Message::from).distinct().count();
            assertThat(candidates).as("replicas campaigning at once").isGreaterThanOrEqualTo(2);
            cell.deliverAll();
            atMostOne.run();
        }
        assertThat(cell.runUntil(() -> cell.leaseHolder().isPresent(), 5_000, SyncCluster.TICK_MILLIS, atMostOne)).isTrue();
        int master = cell.leaseHolder().orElseThrow().id;
        assertThat(cell.propose(master, command(1, 1, "after the duel"))).isTrue();
        cell.runFor(500, SyncCluster.TICK_MILLIS, atMostOne);
        for (SyncCluster.Node n : cell.nodes()) assertThat(payloads(n)).containsExactly("after the duel");
    }

    @Test
    void aFollowerThatJustPromisedACandidateDoesNotCampaignAgainstIt() {
        // Rule: a promise to a candidate defers the follower's own campaign (as a Raft vote resets the
        // election timer). Two followers whose deadlines had both passed when the master died used to
        // duel: the second campaigned between promising the first and hearing from it as master, and
        // granted the first a lease that then held up its own election (a 2.1 s fail-over).
        SyncCluster cell = new SyncCluster(3, 41);
        Runnable atMostOne = () -> assertThat(cell.leaseHolders()).hasSizeLessThanOrEqualTo(1);
        cell.electMaster(1);
        cell.runFor(500, SyncCluster.TICK_MILLIS, atMostOne);
        cell.crash(1);
        cell.discardInFlight();
        cell.advance(SyncCluster.LEASE.grantorMillis() + cell.options().electionJitterMillis() + 1); // both deadlines pass

        cell.tick(2); // 2 campaigns first
        Message.Prepare toThree = cell.inFlight().stream()
            .filter(m -> m instanceof Message.Prepare && m.to() == 3).map(Message.Prepare.class::cast).findFirst().orElseThrow();
        cell.discardInFlight();
        cell.inject(toThree); // 3 promises; its promise is still on the way back to 2
        cell.tick(3);
        assertThat(cell.sentBy(3, Message.Prepare.class)).as("3 campaigned against the candidate it had just promised").isEmpty();

        cell.deliverAll();
        assertThat(cell.leaseHolders()).containsExactly(2);
        cell.runFor(1_000, SyncCluster.TICK_MILLIS, atMostOne);
        assertThat(cell.leaseHolders()).containsExactly(2);
        assertThat(cell.sentBy(3, Message.Prepare.class)).isEmpty();
    }

    @Test
    void aReplicaThatCampaignedAloneRejoinsWithoutASecondLeaseHolder() {
        // Rule: a cut-off replica campaigns, but asks its own acceptor only once the others would make
        // a quorum with it, so its promise never rises; once healed it follows the master, which
        // never stopped holding its lease (no disruption, and never two lease holders).
        SyncCluster cell = new SyncCluster(3, 19);
        Runnable atMostOne = () -> assertThat(cell.leaseHolders()).hasSizeLessThanOrEqualTo(1);
        cell.electMaster(1);
        cell.isolate(3);
        cell.runFor(3_000, SyncCluster.TICK_MILLIS, atMostOne);
        assertThat(cell.sentBy(3, Message.Prepare.class)).as("it campaigned").isNotEmpty();
        assertThat(cell.replica(3).status().ballot()).isEqualTo(cell.replica(1).status().ballot());
        cell.propose(1, command(1, 1, "during"));
        Runnable masterKeepsItsLease = () -> {
            atMostOne.run();
            assertThat(cell.leaseHolder().map(n -> n.id)).contains(1);
        };
        cell.heal();
        cell.runFor(3_000, SyncCluster.TICK_MILLIS, masterKeepsItsLease);
        int master = 1;
        cell.propose(master, command(1, 2, "after"));
        cell.runFor(500, SyncCluster.TICK_MILLIS, atMostOne);
        for (SyncCluster.Node n : cell.nodes()) assertThat(payloads(n)).as("replica %d", n.id).containsExactly("during", "after");
    }

    @Test
    void oldMessagesDeliveredAgainChangeNoDecision() {
        // Rule: delivery may duplicate, delay and reorder; ballots make every old message harmless
        // (Paxos Made Simple §2.2), so replaying the whole history after a change of master decides
        // nothing new and undoes nothing.
        SyncCluster cell = new SyncCluster(3, 20, SyncCluster.scenarioOptions().withBatching(8, 1));
        cell.electMaster(1);
        for (int i = 0; i < 5; i++) cell.propose(1, command(1, i, "a" + i));
        cell.runFor(300);
        cell.isolate(1);
        assertThat(cell.runUntil(() -> cell.leaseHolders().stream().anyMatch(id -> id != 1), 5_000)).isTrue();
        int master = cell.leaseHolder().orElseThrow().id;
        for (int i = 0; i < 5; i++) cell.propose(master, command(2, i, "b" + i));
        cell.heal();
        cell.runFor(500);
        Map<Long, Value> decided = new TreeMap<>(cell.node(master).decided);
        List<String> applied = payloads(cell.node(master));

        List<Message> history = List.copyOf(cell.sent);
        for (int pass = 0; pass < 2; pass++) {
            List<Message> replay = new ArrayList<>(history);
            if (pass == 1) Collections.reverse(replay);
            for (Message m : replay) cell.inject(m);
            cell.deliverAll();
            assertThat(cell.leaseHolders()).hasSizeLessThanOrEqualTo(1);
        }
        cell.runFor(1_000, SyncCluster.TICK_MILLIS, () -> assertThat(cell.leaseHolders()).hasSizeLessThanOrEqualTo(1));
        for (SyncCluster.Node n : cell.nodes()) {
            for (Map.Entry<Long, Value> e : n.decided.entrySet()) {
                if (decided.containsKey(e.getKey())) {
                    assertThat(e.getValue()).as("replica %d slot %d", n.id, e.getKey()).isEqualTo(decided.get(e.getKey()));
                }
            }
            assertThat(payloads(n)).as("replica %d", n.id).startsWith(applied.toArray(new String[0]));
        }
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        // Rule: the harness is deterministic, so a failing scenario replays exactly.
        List<String> a = run(17);
        List<String> b = run(17);
        assertThat(a).isEqualTo(b);
    }

    private static List<String> run(long seed) {
        SyncCluster cell = new SyncCluster(3, seed);
        cell.runUntil(() -> cell.leaseHolder().isPresent(), 5_000);
        int master = cell.leaseHolder().orElseThrow().id;
        for (int i = 0; i < 10; i++) cell.propose(master, command(1, i, "v" + i));
        cell.runFor(500);
        List<String> trace = new ArrayList<>();
        for (Message m : cell.sent) trace.add(m.toString());
        return trace;
    }
}
