package io.warden.paxos.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.paxos.Snapshot;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFilesTest {
    @TempDir Path dir;

    @Test
    void aWrittenSnapshotReadsBackAfterReopen() {
        Snapshot small = new Snapshot(7, SlotValues.bytes(1, 100));
        Snapshot multiChunk = new Snapshot(9, SlotValues.bytes(2, 2 * SnapshotFiles.CHUNK_BYTES + 12345));
        SnapshotFiles files = SnapshotFiles.open(dir);
        files.write(small, 3);
        files.write(multiChunk, 5);

        SnapshotFiles reopened = SnapshotFiles.open(dir);
        SnapshotFiles.Stored newest = reopened.newest().orElseThrow();
        assertThat(newest.lastSlot()).isEqualTo(9);
        assertThat(newest.walSegment()).isEqualTo(5);
        assertThat(reopened.read(newest)).isEqualTo(multiChunk);
        assertThat(reopened.read(reopened.stored().get(0))).isEqualTo(small);
    }

    @Test
    void anEmptyStateIsAValidSnapshot() {
        SnapshotFiles.open(dir).write(new Snapshot(0, new byte[0]), 1);
        SnapshotFiles reopened = SnapshotFiles.open(dir);
        assertThat(reopened.read(reopened.newest().orElseThrow())).isEqualTo(new Snapshot(0, new byte[0]));
    }

    @Test
    void aDamagedNewestFileFallsBackToThePreviousOne() throws IOException {
        Snapshot older = new Snapshot(10, SlotValues.bytes(3, 50_000));
        Snapshot newer = new Snapshot(20, SlotValues.bytes(4, 300_000));
        SnapshotFiles files = SnapshotFiles.open(dir);
        files.write(older, 2);
        Path newest = files.write(newer, 4).file();
        flipByte(newest, offsetOf(newest, newer.state(), 150_000)); // inside the state's chunks

        SnapshotFiles reopened = SnapshotFiles.open(dir);
        assertThat(reopened.newest().map(s -> s.lastSlot())).contains(10L);
        assertThat(reopened.read(reopened.newest().orElseThrow())).isEqualTo(older);
        assertThat(newest).doesNotExist();
    }

    @Test
    void aTruncatedOnlyFileLeavesNoSnapshot() throws IOException {
        Path file = SnapshotFiles.open(dir).write(new Snapshot(5, SlotValues.bytes(5, 200_000)), 2).file();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(file) / 3);
        }
        assertThat(SnapshotFiles.open(dir).newest()).isEmpty();
    }

    /** Whatever byte is damaged, a snapshot either reads back exactly as written or is rejected. */
    @Test
    void randomDamageNeverYieldsWrongContent() throws IOException {
        Snapshot older = new Snapshot(1, SlotValues.bytes(6, 1000));
        Snapshot newer = new Snapshot(2, SlotValues.bytes(7, 70_000));
        Path base = dir.resolve("base");
        SnapshotFiles files = SnapshotFiles.open(base);
        files.write(older, 1);
        Path newest = files.write(newer, 2).file();
        byte[] original = Files.readAllBytes(newest);
        Random random = new Random(11);
        for (int i = 0; i < 30; i++) {
            Path copy = dir.resolve("copy-" + i);
            copyDir(base, copy);
            byte[] damaged = original.clone();
            damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
            Files.write(copy.resolve(newest.getFileName()), damaged);
            SnapshotFiles reopened = SnapshotFiles.open(copy);
            SnapshotFiles.Stored chosen = reopened.newest().orElseThrow();
            assertThat(reopened.read(chosen)).isIn(older, newer);
        }
    }

    @Test
    void leftoverTemporaryFilesAreDeletedAndIgnored() throws IOException {
        SnapshotFiles.open(dir).write(new Snapshot(3, SlotValues.bytes(8, 10)), 1);
        Path tmp = dir.resolve(SnapshotFiles.fileName(2) + ".tmp");
        Files.write(tmp, SlotValues.bytes(9, 4096));
        SnapshotFiles reopened = SnapshotFiles.open(dir);
        assertThat(reopened.newest().map(s -> s.lastSlot())).contains(3L);
        assertThat(tmp).doesNotExist();
        // The next write takes the temporary file's sequence number without tripping over it.
        assertThat(reopened.write(new Snapshot(4, new byte[1]), 2).sequence()).isEqualTo(2);
    }

    @Test
    void deleteOlderThanKeepsTheNamedFileAndNewer() throws IOException {
        SnapshotFiles files = SnapshotFiles.open(dir);
        for (int i = 1; i <= 4; i++) files.write(new Snapshot(i, new byte[i]), i);
        files.deleteOlderThan(3);
        assertThat(files.stored()).extracting(SnapshotFiles.Stored::sequence).containsExactly(3L, 4L);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.count()).isEqualTo(2);
        }
        assertThat(SnapshotFiles.open(dir).stored()).hasSize(2);
    }

    @Test
    void noFilesMeansNoSnapshot() {
        assertThat(SnapshotFiles.open(dir).newest()).isEqualTo(Optional.empty());
    }

    /** Where the 32 bytes of {@code state} from {@code from} on lie in {@code file}. */
    private static long offsetOf(Path file, byte[] state, int from) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] needle = Arrays.copyOfRange(state, from, from + 32);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) return i;
        }
        throw new AssertionError("state bytes not found in " + file);
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.copy(p, to.resolve(p.getFileName()));
        }
    }

    private static void flipByte(Path file, long at) throws IOException {
        WriteAheadLogTest.flipByte(file, at);
    }

    /** MapDB's native hash library, unpacked to the temp directory, must not outlive a kill -9 (it did, ~60 KB each). */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aReplicaKilledWithKillNineLeavesNoUnpackedLibraryBehind() throws Exception {
        Path forkTmp = Files.createDirectories(dir.resolve("java-tmp"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process writer = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xmx128m", "-Djava.io.tmpdir=" + forkTmp,
            "-cp", ForkedClassPath.copyInto(dir), SnapshotWriterThatWaits.class.getName(), dir.resolve("snapshots").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        try {
            String line = writer.inputReader().readLine();
            assertThat(line).as("the writer's report").isNotNull().startsWith("written ");
            assertThat(Long.parseLong(line.substring("written ".length()))).as("lz4-java's library was loaded from a file").isPositive();
        } finally {
            writer.toHandle().destroyForcibly(); // SIGKILL: no exit hooks run
            writer.waitFor(30, TimeUnit.SECONDS);
        }
        try (Stream<Path> left = Files.list(forkTmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("liblz4-java"));
        }
    }
}
