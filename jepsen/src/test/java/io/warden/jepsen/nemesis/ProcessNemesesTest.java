package io.warden.jepsen.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kill, pause and clock against pretend replicas: what each does, how it heals, what it refuses. */
class ProcessNemesesTest {

    @Test
    void killTakesAReplicaDownAndHealingRestartsIt() throws Exception {
        FakeReplicas cell = new FakeReplicas(3);
        Fault f = new KillNemesis(cell).inject(new SplittableRandom(1));
        int victim = ((Number) f.description().get("replica")).intValue();
        assertThat(cell.running[victim]).isFalse();
        assertThat(f.heal()).containsEntry("restarted", true);
        assertThat(cell.running[victim]).isTrue();
        assertThat(f.heal()).as("healing twice is harmless").containsEntry("restarted", false);
        assertThat(cell.actions).containsExactly("kill " + victim, "restart " + victim);
    }

    @Test
    void pauseIsLongerThanTheLeaseAndHealingResumes() throws Exception {
        FakeReplicas cell = new FakeReplicas(3);
        PauseNemesis pause = new PauseNemesis(cell);
        for (long seed = 0; seed < 50; seed++) {
            assertThat(pause.duration(new SplittableRandom(seed))).isGreaterThan(Duration.ofMillis(cell.leaseMillis()));
        }
        Fault f = pause.inject(new SplittableRandom(2));
        int victim = ((Number) f.description().get("replica")).intValue();
        assertThat(cell.paused[victim]).isTrue();
        f.heal();
        assertThat(cell.paused[victim]).isFalse();
    }

    @Test
    void nothingToHitIsAFailureNotAPretence() {
        FakeReplicas cell = new FakeReplicas(3);
        for (int i = 1; i <= 3; i++) {
            cell.running[i] = false;
        }
        assertThatThrownBy(() -> new KillNemesis(cell).inject(new SplittableRandom(1))).isInstanceOf(NemesisException.class);
        assertThatThrownBy(() -> new PauseNemesis(cell).inject(new SplittableRandom(1))).isInstanceOf(NemesisException.class);
        assertThat(cell.actions).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void clockWithinTheBoundKeepsEveryTwoClocksWithinEpsilon(long seed) throws Exception {
        FakeReplicas cell = new FakeReplicas(5);
        Fault f = new ClockNemesis(cell, false).inject(new SplittableRandom(seed));
        for (int i = 1; i <= 5; i++) {
            assertThat(Math.abs(cell.rates[i] - 1)).isLessThan(cell.driftBound() / 2);
            assertThat(cell.offsets[i]).isZero();
        }
        assertThat(f.description()).containsEntry("bound", "within");
        f.heal();
        for (int i = 1; i <= 5; i++) {
            assertThat(cell.rates[i]).isEqualTo(1.0);
        }
    }

    @Test
    void clockBeyondTheBoundSkewsHardAndOffsetsOnlyGrow() throws Exception {
        FakeReplicas cell = new FakeReplicas(3);
        ClockNemesis clock = new ClockNemesis(cell, true);
        SplittableRandom random = new SplittableRandom(9);
        long[] last = new long[4];
        boolean hard = false;
        for (int round = 0; round < 20; round++) {
            Fault f = clock.inject(random);
            for (int i = 1; i <= 3; i++) {
                hard |= Math.abs(cell.rates[i] - 1) > 0.2;
                assertThat(cell.offsets[i]).isGreaterThanOrEqualTo(last[i]);
                last[i] = cell.offsets[i];
            }
            f.heal();
        }
        assertThat(hard).isTrue();
        assertThat(last[1] + last[2] + last[3]).as("some forward jump").isPositive();
    }

    @Test
    void scheduleRecordsEveryFaultAndHealsItBeforeStopping() throws Exception {
        FakeReplicas cell = new FakeReplicas(3);
        io.warden.jepsen.history.HistoryRecorder recorder = new io.warden.jepsen.history.HistoryRecorder();
        NemesisSchedule schedule = NemesisSchedule.single(List.of(new KillNemesis(cell), new PauseNemesis(cell)), false,
                recorder, new SplittableRandom(3), Duration.ofMillis(10), Duration.ofMillis(20));
        schedule.start();
        Thread.sleep(300);
        NemesisSchedule.Summary summary = schedule.stopAndHeal(Duration.ofSeconds(10));
        assertThat(summary.total()).isPositive();
        assertThat(summary.skipped()).isEmpty();
        for (int i = 1; i <= 3; i++) {
            assertThat(cell.running[i]).as("replica %d running after the schedule stopped", i).isTrue();
            assertThat(cell.paused[i]).as("replica %d paused after the schedule stopped", i).isFalse();
        }
        List<String> fs = recorder.history().stream().map(io.warden.jepsen.history.Op::f).toList();
        assertThat(fs).containsAnyOf("kill", "pause");
        assertThat(recorder.history()).allMatch(op -> op.process() == schedule.process());
        assertThat(recorder.history().get(recorder.history().size() - 1).type())
                .isEqualTo(io.warden.jepsen.history.OpType.OK); // the last heal completed
    }

    @Test
    void scheduleSkipsAnUnavailableNemesisAndSaysWhy() throws Exception {
        FakeReplicas cell = new FakeReplicas(3);
        Nemesis broken = PartitionNemesis.on(cell, "/nonexistent/iptables");
        NemesisSchedule schedule = new NemesisSchedule(List.of(List.of(broken, new PauseNemesis(cell))), false,
                new io.warden.jepsen.history.HistoryRecorder(), new SplittableRandom(1), Duration.ofMillis(1),
                Duration.ofMillis(1));
        assertThat(schedule.skipped()).isEqualTo(Map.of("partition", "iptables not found at /nonexistent/iptables"));
        assertThat(schedule.usable()).containsExactly("pause");
        schedule.stopAndHeal(Duration.ofSeconds(1));
    }
}
