package io.warden.paxos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The applied state: slots applied in order, retries filtered by the exactly-once table, and one
 * snapshot carrying configuration, table and machine, so a restored replica is indistinguishable
 * from one that applied every slot itself.
 */
class AppliedStateTest {
    private static final Configuration THREE = Configuration.of(1, 2, 3);
    private static final PaxosOptions OPTIONS = SyncCluster.scenarioOptions();

    private static Command cmd(long client, long sequence, String payload) {
        return new Command(client, sequence, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static Value batch(Command... commands) {
        return new Value.Batch(List.of(commands));
    }

    private static List<Ready.Disposition> dispositions(List<Ready.Applied> applied) {
        return applied.stream().map(Ready.Applied::disposition).toList();
    }

    @Test
    void appliesEachCommandOnceAndAnswersRetriesWithTheFirstResult() {
        SyncCluster.ListMachine machine = new SyncCluster.ListMachine();
        AppliedState state = new AppliedState(machine, THREE, OPTIONS);
        List<Ready.Applied> first = state.apply(1, batch(cmd(5, 1, "a"), cmd(5, 2, "b")));
        List<Ready.Applied> retry = state.apply(2, batch(cmd(5, 2, "b"), cmd(6, 1, "c"), cmd(5, 1, "a")));

        assertThat(dispositions(first)).containsExactly(Ready.Disposition.APPLIED, Ready.Disposition.APPLIED);
        assertThat(dispositions(retry)).containsExactly(
            Ready.Disposition.DUPLICATE, Ready.Disposition.APPLIED, Ready.Disposition.DUPLICATE);
        assertThat(retry.get(0).result()).isEqualTo(first.get(1).result());
        assertThat(retry.get(2).result()).isEqualTo(first.get(0).result());
        assertThat(machine.payloads()).containsExactly("a", "b", "c");
        assertThat(state.appliedThrough()).isEqualTo(2);
    }

    @Test
    void aRetryInTheSameBatchIsADuplicate() {
        SyncCluster.ListMachine machine = new SyncCluster.ListMachine();
        AppliedState state = new AppliedState(machine, THREE, OPTIONS);
        List<Ready.Applied> out = state.apply(1, batch(cmd(5, 1, "a"), cmd(5, 1, "a")));
        assertThat(dispositions(out)).containsExactly(Ready.Disposition.APPLIED, Ready.Disposition.DUPLICATE);
        assertThat(machine.payloads()).containsExactly("a");
    }

    @Test
    void aRetryOlderThanTheTableRemembersIsRefused() {
        SyncCluster.ListMachine machine = new SyncCluster.ListMachine();
        PaxosOptions small = new PaxosOptions(OPTIONS.masterLease(), OPTIONS.renewIntervalMillis(), OPTIONS.electionJitterMillis(),
            OPTIONS.retryMillis(), OPTIONS.windowSlots(), OPTIONS.maxBatchCommands(), OPTIONS.snapshotEverySlots(),
            OPTIONS.catchUpMaxSlots(), 2, 10, OPTIONS.plantedBugs());
        AppliedState state = new AppliedState(machine, THREE, small);
        state.apply(1, batch(cmd(5, 1, "a"), cmd(5, 2, "b"), cmd(5, 3, "c")));
        List<Ready.Applied> out = state.apply(2, batch(cmd(5, 1, "a")));
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.disposition()).isEqualTo(Ready.Disposition.TOO_OLD);
            assertThat(a.result()).isNull();
        });
        assertThat(machine.payloads()).containsExactly("a", "b", "c");
    }

    @Test
    void noopsAndReconfigurationsApplyNoCommand() {
        SyncCluster.ListMachine machine = new SyncCluster.ListMachine();
        AppliedState state = new AppliedState(machine, THREE, OPTIONS);
        assertThat(state.apply(1, Value.NOOP)).isEmpty();
        assertThat(state.apply(2, new Value.Reconfigure(Configuration.of(1, 2, 3, 4, 5)))).isEmpty();
        assertThat(state.configuration()).isEqualTo(Configuration.of(1, 2, 3, 4, 5));
        assertThat(state.appliedThrough()).isEqualTo(2);
        assertThat(machine.payloads()).isEmpty();
    }

    @Test
    void slotsApplyOnlyInOrder() {
        AppliedState state = new AppliedState(new SyncCluster.ListMachine(), THREE, OPTIONS);
        assertThatThrownBy(() -> state.apply(2, Value.NOOP)).isInstanceOf(IllegalStateException.class);
        state.apply(1, Value.NOOP);
        assertThatThrownBy(() -> state.apply(1, Value.NOOP)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSnapshotRestoresConfigurationTableAndMachine() {
        // Rule: a snapshot carries the exactly-once table; forgetting it lets a retry apply twice.
        SyncCluster.ListMachine machine = new SyncCluster.ListMachine();
        AppliedState state = new AppliedState(machine, THREE, OPTIONS);
        List<Ready.Applied> first = state.apply(1, batch(cmd(5, 1, "a"), cmd(6, 1, "b")));
        state.apply(2, new Value.Reconfigure(Configuration.of(1, 2, 3, 4)));
        Snapshot snapshot = state.snapshot();
        assertThat(snapshot.lastSlot()).isEqualTo(2);

        SyncCluster.ListMachine restoredMachine = new SyncCluster.ListMachine();
        AppliedState restored = new AppliedState(restoredMachine, THREE, OPTIONS);
        restored.restore(snapshot);
        assertThat(restored.appliedThrough()).isEqualTo(2);
        assertThat(restored.configuration()).isEqualTo(Configuration.of(1, 2, 3, 4));
        assertThat(restoredMachine.payloads()).containsExactly("a", "b");
        assertThat(restored.snapshot()).isEqualTo(snapshot);

        List<Ready.Applied> retry = restored.apply(3, batch(cmd(5, 1, "a"), cmd(7, 1, "c")));
        assertThat(dispositions(retry)).containsExactly(Ready.Disposition.DUPLICATE, Ready.Disposition.APPLIED);
        assertThat(retry.get(0).result()).isEqualTo(first.get(0).result());
        assertThat(restoredMachine.payloads()).containsExactly("a", "b", "c");
    }

    @Test
    void aRestoredStateGoesOnExactlyLikeTheOriginal() {
        AppliedState original = new AppliedState(new SyncCluster.ListMachine(), THREE, OPTIONS);
        List<Value> slots = new ArrayList<>();
        for (int s = 1; s <= 40; s++) {
            slots.add(s % 9 == 0 ? Value.NOOP : batch(cmd(1 + s % 5, s, "p" + s), cmd(1 + s % 3, s, "q" + s)));
        }
        for (int s = 1; s <= 20; s++) original.apply(s, slots.get(s - 1));
        AppliedState restored = new AppliedState(new SyncCluster.ListMachine(), THREE, OPTIONS);
        restored.restore(original.snapshot());
        for (int s = 21; s <= 40; s++) {
            assertThat(restored.apply(s, slots.get(s - 1))).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(original.apply(s, slots.get(s - 1)));
        }
        assertThat(restored.snapshot()).isEqualTo(original.snapshot());
    }

    @Test
    void aCorruptSnapshotIsAnError() {
        AppliedState state = new AppliedState(new SyncCluster.ListMachine(), THREE, OPTIONS);
        assertThatThrownBy(() -> state.restore(new Snapshot(4, new byte[] {0, 0, 0, 3, 0})))
            .isInstanceOf(RuntimeException.class);
    }

    /**
     * The {@link StateMachine} port does not forbid a null result ("no result"), and
     * {@link Ready.Applied} already uses null for "none". A command whose result is null must still
     * be recognised when retried: otherwise it is applied twice.
     */
    @Test
    void aCommandWithANullResultIsStillRecognisedWhenRetried() {
        List<String> applied = new ArrayList<>();
        StateMachine nullResults = new StateMachine() {
            @Override public byte[] apply(long slot, Command command) {
                applied.add(new String(command.payload(), StandardCharsets.UTF_8));
                return null;
            }
            @Override public java.util.function.Supplier<byte[]> snapshot() { return () -> new byte[0]; }
            @Override public void restore(byte[] snapshot) { }
        };
        AppliedState state = new AppliedState(nullResults, THREE, OPTIONS);
        state.apply(1, batch(cmd(5, 1, "a")));
        List<Ready.Applied> retry = state.apply(2, batch(cmd(5, 1, "a")));
        assertThat(applied).as("state machine applications").containsExactly("a");
        assertThat(dispositions(retry)).containsExactly(Ready.Disposition.DUPLICATE);
    }
}
