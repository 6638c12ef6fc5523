package io.warden.paxos.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.paxos.Ballot;
import io.warden.paxos.DurableState;
import io.warden.paxos.Message;
import io.warden.paxos.Snapshot;
import io.warden.paxos.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurablePaxosStorageTest {
    private static final DurablePaxosStorage.Options SMALL_SEGMENTS = new DurablePaxosStorage.Options(4096);

    @TempDir Path dir;

    private DurablePaxosStorage open() {
        return DurablePaxosStorage.open(dir, SMALL_SEGMENTS);
    }

    private DurableState reopen() {
        try (DurablePaxosStorage s = open()) {
            return s.recover();
        }
    }

    private static void accept(DurablePaxosStorage s, long from, long to) {
        for (long slot = from; slot <= to; slot++) s.persistAccepted(slot, SlotValues.ballot(slot), SlotValues.value(slot));
    }

    private static void assertAccepted(DurableState state, long from, long to) {
        assertThat(state.accepted().keySet()).containsExactlyElementsOf(
            Stream.iterate(from, s -> s <= to, s -> s + 1).toList());
        state.accepted().forEach((slot, e) -> {
            assertThat(e.ballot()).isEqualTo(SlotValues.ballot(slot));
            assertThat(e.value()).isEqualTo(SlotValues.value(slot));
        });
    }

    @Test
    void aFreshDirectoryRecoversNothing() {
        DurableState state = reopen();
        assertThat(state.promised()).isEqualTo(Ballot.ZERO);
        assertThat(state.accepted()).isEmpty();
        assertThat(state.decided()).isEmpty();
        assertThat(state.snapshot()).isEmpty();
    }

    @Test
    void syncedPromiseAcceptedAndDecidedComeBack() {
        try (DurablePaxosStorage s = open()) {
            s.persistPromise(new Ballot(3, 1));
            accept(s, 1, 40);
            s.persistDecided(5, SlotValues.value(5));
            s.persistDecided(6, Value.NOOP); // decided differently from what this acceptor accepted
            s.persistPromise(new Ballot(4, 2));
            s.sync();
        }
        DurableState state = reopen();
        assertThat(state.promised()).isEqualTo(new Ballot(4, 2));
        assertAccepted(state, 1, 40);
        assertThat(state.decided()).containsOnlyKeys(5L, 6L).containsEntry(6L, Value.NOOP);
        assertThat(state.accepted().get(5L).decided()).isTrue();
        assertThat(state.accepted().get(6L).decided()).isFalse();
        assertThat(state.accepted().get(7L).decided()).isFalse();
    }

    @Test
    void theLastRecordForASlotWins() {
        Ballot higher = new Ballot(100, 3);
        try (DurablePaxosStorage s = open()) {
            accept(s, 1, 3);
            s.persistAccepted(2, higher, Value.NOOP);
            s.sync();
        }
        assertThat(reopen().accepted().get(2L)).isEqualTo(new Message.AcceptedEntry(2, higher, Value.NOOP, false));
    }

    @Test
    void aSnapshotReplacesTheSlotsItCoversAndKeepsThePromiseAcrossCompaction() throws IOException {
        Snapshot first = new Snapshot(100, SlotValues.state(100));
        Snapshot second = new Snapshot(250, SlotValues.state(250));
        try (DurablePaxosStorage s = open()) {
            s.persistPromise(new Ballot(9, 2));
            accept(s, 1, 200);
            s.persistSnapshot(first);
            accept(s, 201, 300);
            s.persistSnapshot(second);
            accept(s, 301, 320);
            s.persistAccepted(50, SlotValues.ballot(50), Value.NOOP); // below the snapshot: dropped
            s.sync();
            s.awaitSnapshotWrites();
            // Segments older than the previous snapshot's are gone; the previous snapshot's remain.
            assertThat(s.log().oldestSegment()).isEqualTo(SnapshotFiles.open(dir.resolve("snapshots"))
                .stored().get(0).walSegment());
        }
        DurableState state = reopen();
        assertThat(state.snapshot()).contains(second);
        assertThat(state.promised()).isEqualTo(new Ballot(9, 2));
        assertAccepted(state, 251, 320);
        assertThat(files(dir.resolve("snapshots"))).hasSize(2);
    }

    @Test
    void olderSnapshotFilesAndSegmentsAreDeleted() throws IOException {
        try (DurablePaxosStorage s = open()) {
            for (int round = 1; round <= 5; round++) {
                accept(s, (round - 1) * 100L + 1, round * 100L);
                s.persistSnapshot(new Snapshot(round * 100L - 10, SlotValues.state(round)));
            }
            s.sync();
        }
        assertThat(files(dir.resolve("snapshots"))).hasSize(2);
        // Without compaction 500 records of ~300 bytes would fill dozens of 4 KiB segments.
        assertThat(files(dir.resolve("log")).size()).isLessThan(25);
        assertAccepted(reopen(), 491, 500);
    }

    /** The previous snapshot keeps all the log it needs, so a damaged newest one loses no slot. */
    @Test
    void aDamagedNewestSnapshotFallsBackToThePreviousOneWithoutLosingSlots() throws IOException {
        Path newest = writeTwoSnapshots();
        Files.write(newest, new byte[100]); // destroyed
        assertRecoveredFromTheFirstSnapshot();
    }

    /**
     * The newest snapshot is written in the background: a crash before its file exists must find
     * everything in the previous snapshot and the log (nothing it replaces is deleted before).
     */
    @Test
    void aCrashBeforeTheNewestSnapshotFileIsWrittenLosesNoSlot() throws IOException {
        Files.delete(writeTwoSnapshots()); // as if the process died before the writer got to it
        assertRecoveredFromTheFirstSnapshot();
    }

    /** Promise, slots 1-210, snapshots through 60 and 150; returns the newest snapshot's file. */
    private Path writeTwoSnapshots() throws IOException {
        try (DurablePaxosStorage s = open()) {
            s.persistPromise(new Ballot(2, 1));
            accept(s, 1, 100);
            s.persistSnapshot(new Snapshot(60, SlotValues.state(60)));
            accept(s, 101, 200);
            s.persistSnapshot(new Snapshot(150, SlotValues.state(150)));
            accept(s, 201, 210);
            s.sync();
        }
        List<Path> snaps = files(dir.resolve("snapshots"));
        assertThat(snaps).hasSize(2);
        return snaps.get(1);
    }

    private void assertRecoveredFromTheFirstSnapshot() {
        DurableState state = reopen();
        assertThat(state.snapshot()).contains(new Snapshot(60, SlotValues.state(60)));
        assertThat(state.promised()).isEqualTo(new Ballot(2, 1));
        assertAccepted(state, 61, 210);
    }

    @Test
    void missingLogThatTheSnapshotNeedsFailsTheOpen() throws IOException {
        try (DurablePaxosStorage s = open()) {
            accept(s, 1, 100);
            s.persistSnapshot(new Snapshot(60, SlotValues.state(60)));
            accept(s, 101, 110);
            s.sync();
        }
        for (Path p : files(dir.resolve("log"))) Files.delete(p);
        assertThatThrownBy(this::open).isInstanceOf(UncheckedIOException.class).hasMessageContaining("needs log segment");
    }

    @Test
    void anOlderSnapshotThanTheStoredOneIsRefused() {
        try (DurablePaxosStorage s = open()) {
            s.persistSnapshot(new Snapshot(10, new byte[1]));
            assertThatThrownBy(() -> s.persistSnapshot(new Snapshot(9, new byte[1])))
                .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void concurrentPersistAndSyncCallersLoseNothing() throws Exception {
        int threads = 8;
        int perThread = 100;
        try (DurablePaxosStorage s = open()) {
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts[t] = new Thread(() -> {
                    for (int n = 0; n < perThread; n++) {
                        long slot = (long) n * threads + id + 1;
                        s.persistAccepted(slot, SlotValues.ballot(slot), SlotValues.value(slot));
                        s.sync();
                    }
                });
                ts[t].start();
            }
            for (Thread t : ts) t.join();
        }
        assertAccepted(reopen(), 1, (long) threads * perThread);
    }

    private static List<Path> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }
}
