package io.warden.paxos.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WriteAheadLogTest {
    private static final int SEGMENT = 4096;

    @TempDir Path dir;

    record Rec(byte type, byte[] payload) {
        boolean sameAs(Rec o) {
            return type == o.type && Arrays.equals(payload, o.payload);
        }
    }

    static List<Rec> records(int n, int maxPayload, long seed) {
        Random r = new Random(seed);
        List<Rec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new Rec((byte) (1 + r.nextInt(3)), SlotValues.bytes(seed + i, r.nextInt(maxPayload + 1))));
        return out;
    }

    static List<Rec> replay(Path dir) {
        List<Rec> got = new ArrayList<>();
        WriteAheadLog.open(dir, SEGMENT, (t, p) -> got.add(new Rec(t, p))).close();
        return got;
    }

    static void write(Path dir, List<Rec> recs) {
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, (t, p) -> {})) {
            for (Rec r : recs) log.append(r.type(), r.payload());
            log.sync();
        }
    }

    static void assertSame(List<Rec> got, List<Rec> expected) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.size(); i++) assertThat(got.get(i).sameAs(expected.get(i))).as("record %d", i).isTrue();
    }

    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> WalSegment.parseIndex(p).isPresent()).sorted().toList();
        }
    }

    @Test
    void recordsComeBackInOrderAfterReopen() {
        List<Rec> recs = records(50, 200, 1);
        recs.add(new Rec((byte) 9, new byte[0])); // an empty payload is a valid record
        write(dir, recs);
        assertSame(replay(dir), recs);
    }

    @Test
    void appendsAfterRecoveryFollowTheOldRecords() {
        List<Rec> first = records(10, 100, 2);
        List<Rec> second = records(10, 100, 3);
        write(dir, first);
        write(dir, second);
        List<Rec> all = new ArrayList<>(first);
        all.addAll(second);
        assertSame(replay(dir), all);
    }

    /**
     * A crash mid-write leaves any prefix of the last record, followed by the end of the file or by
     * the preallocated zeros: recovery keeps exactly the records before it, then appends after them.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tornLastRecordAtEveryByteOffsetKeepsTheValidPrefix(boolean truncated) throws IOException {
        List<Rec> recs = records(6, 300, 4);
        Path orig = dir.resolve("orig");
        write(orig, recs);
        Path segment = segments(orig).get(0);
        long end = WalSegment.HEADER_BYTES;
        for (Rec r : recs) end += WalSegment.FRAME_OVERHEAD + 1 + r.payload().length;
        long lastStart = end - (WalSegment.FRAME_OVERHEAD + 1 + recs.get(5).payload().length);
        byte[] original = Files.readAllBytes(segment);
        for (long cut = lastStart; cut < end; cut++) {
            Path copy = Files.createDirectories(dir.resolve("cut-" + cut));
            Path copied = copy.resolve(segment.getFileName());
            byte[] torn = original.clone();
            Arrays.fill(torn, (int) cut, (int) end, (byte) 0);
            Files.write(copied, truncated ? Arrays.copyOf(original, (int) cut) : torn);
            assertSame(replay(copy), recs.subList(0, 5));
            // The repaired log takes new records after the prefix.
            List<Rec> more = records(2, 50, cut);
            write(copy, more);
            List<Rec> expected = new ArrayList<>(recs.subList(0, 5));
            expected.addAll(more);
            assertSame(replay(copy), expected);
        }
    }

    @Test
    void randomByteFlipsInTheLastRecordAreDetected() throws IOException {
        List<Rec> recs = records(6, 300, 5);
        Path orig = dir.resolve("orig");
        write(orig, recs);
        Path segment = segments(orig).get(0);
        long end = WalSegment.HEADER_BYTES;
        for (Rec r : recs) end += WalSegment.FRAME_OVERHEAD + 1 + r.payload().length;
        int lastLength = WalSegment.FRAME_OVERHEAD + 1 + recs.get(5).payload().length;
        byte[] original = Files.readAllBytes(segment);
        Random random = new Random(42);
        for (int i = 0; i < 40; i++) {
            Path copy = Files.createDirectories(dir.resolve("flip-" + i));
            byte[] damaged = original.clone();
            int at = (int) (end - lastLength) + random.nextInt(lastLength);
            damaged[at] ^= (byte) (1 + random.nextInt(255));
            Files.write(copy.resolve(segment.getFileName()), damaged);
            assertSame(replay(copy), recs.subList(0, 5));
        }
    }

    /**
     * Stale bytes after a torn record may form valid frames (a crash can persist later pages but not
     * earlier ones). Recovery zeroes them, so they never reappear behind newer, shorter records.
     */
    @Test
    void badCrcInTheMiddleOfTheLastSegmentDropsEverythingAfterItForGood() throws IOException {
        List<Rec> recs = records(3, 300, 6);
        write(dir, recs);
        Path segment = segments(dir).get(0);
        long second = WalSegment.HEADER_BYTES + WalSegment.FRAME_OVERHEAD + 1 + recs.get(0).payload().length;
        flipByte(segment, second + 4); // the CRC field of record 2; record 3 stays a valid frame
        assertSame(replay(dir), recs.subList(0, 1));
        // A new record exactly as long as the damaged one: the stale third frame would follow it directly.
        List<Rec> replacement = List.of(new Rec((byte) 1, new byte[recs.get(1).payload().length]));
        write(dir, replacement);
        assertSame(replay(dir), List.of(recs.get(0), replacement.get(0)));
    }

    @Test
    void garbageAfterTheLastRecordIsIgnoredAndErased() throws IOException {
        List<Rec> recs = records(4, 100, 7);
        write(dir, recs);
        Path segment = segments(dir).get(0);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(SlotValues.bytes(7, 500)), SEGMENT - 600);
        }
        assertSame(replay(dir), recs);
        byte[] after = Files.readAllBytes(segment);
        for (int i = SEGMENT - 600; i < SEGMENT - 100; i++) assertThat(after[i]).isZero();
    }

    @Test
    void segmentsRotateAndAHugeRecordGetsASegmentOfItsOwn() throws IOException {
        List<Rec> recs = records(60, 400, 8);
        recs.add(30, new Rec((byte) 2, SlotValues.bytes(99, 3 * SEGMENT)));
        write(dir, recs);
        assertThat(segments(dir).size()).isGreaterThan(3);
        assertThat(segments(dir)).anySatisfy(p -> assertThat(p.toFile().length()).isGreaterThan(3L * SEGMENT));
        assertSame(replay(dir), recs);
    }

    @Test
    void damageInAForcedOlderSegmentFailsTheOpenInsteadOfDroppingSyncedData() throws IOException {
        write(dir, records(60, 400, 9));
        List<Path> segs = segments(dir);
        assertThat(segs.size()).isGreaterThan(2);
        flipByte(segs.get(0), WalSegment.HEADER_BYTES + 20);
        assertThatThrownBy(() -> replay(dir)).isInstanceOf(UncheckedIOException.class)
            .hasStackTraceContaining("data that was synced is lost");
    }

    @Test
    void aMissingMiddleSegmentFailsTheOpen() throws IOException {
        write(dir, records(60, 400, 10));
        Files.delete(segments(dir).get(1));
        assertThatThrownBy(() -> replay(dir)).isInstanceOf(UncheckedIOException.class)
            .hasStackTraceContaining("not contiguous");
    }

    @Test
    void rotateThenDeleteDropsOnlyTheOlderSegments() throws IOException {
        List<Rec> old = records(20, 400, 11);
        List<Rec> kept = records(5, 100, 12);
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, (t, p) -> {})) {
            for (Rec r : old) log.append(r.type(), r.payload());
            long fresh = log.rotate();
            for (Rec r : kept) log.append(r.type(), r.payload());
            log.sync();
            log.deleteSegmentsBelow(fresh);
            assertThat(log.oldestSegment()).isEqualTo(fresh);
        }
        assertThat(segments(dir)).hasSize(1);
        assertSame(replay(dir), kept);
    }

    @Test
    void leftoverTemporaryFilesAreDeletedAndIgnored() throws IOException {
        List<Rec> recs = records(5, 100, 13);
        write(dir, recs);
        Path tmp = dir.resolve(WalSegment.fileName(2) + ".tmp");
        Files.write(tmp, SlotValues.bytes(1, 1000));
        assertSame(replay(dir), recs);
        assertThat(tmp).doesNotExist();
    }

    /** The next segment is written ahead (SegmentPipeline): rolling over renames that file instead of writing one. */
    @Test
    void theNextSegmentIsWrittenAheadAndRollingOverRenamesIt() throws Exception {
        List<Rec> recs = records(40, 400, 14);
        Path prepared = WalSegment.temporary(dir, 2);
        Object preparedFile;
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, (t, p) -> {})) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!(Files.exists(prepared) && Files.size(prepared) == SEGMENT) && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(prepared).as("segment 2 written ahead").exists();
            preparedFile = Files.readAttributes(prepared, BasicFileAttributes.class).fileKey();
            for (Rec r : recs) log.append(r.type(), r.payload());
            log.sync();
            assertThat(segments(dir).size()).isGreaterThan(2);
            assertThat(Files.readAttributes(dir.resolve(WalSegment.fileName(2)), BasicFileAttributes.class).fileKey())
                .as("segment 2 is the file written ahead").isEqualTo(preparedFile);
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("close deletes the segment written ahead")
                .noneMatch(n -> n.endsWith(".tmp"));
        }
        assertSame(replay(dir), recs);
    }

    /** One force covers every append made before it started (group commit). */
    @Test
    void oneForceCoversEveryRecordAppendedBeforeIt() throws Exception {
        int threads = 8;
        CyclicBarrier appended = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (WriteAheadLog log = WriteAheadLog.open(dir, 1 << 20, (t, p) -> {})) {
            long before = log.forces();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int id = i;
                done.add(pool.submit(() -> {
                    log.append((byte) 1, new byte[] {(byte) id});
                    appended.await();
                    log.sync();
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            assertThat(log.forces() - before).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(replay(dir)).hasSize(threads);
    }

    @Test
    void concurrentAppendAndSyncKeepEveryRecordAndEachThreadsOrder() throws Exception {
        int threads = 8;
        int perThread = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, (t, p) -> {})) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int id = i;
                done.add(pool.submit(() -> {
                    for (int n = 0; n < perThread; n++) {
                        log.append((byte) id, ByteBuffer.allocate(100).putInt(n).array());
                        log.sync();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        int[] next = new int[threads];
        for (Rec r : replay(dir)) {
            assertThat(ByteBuffer.wrap(r.payload()).getInt()).isEqualTo(next[r.type()]);
            next[r.type()]++;
        }
        assertThat(next).containsOnly(perThread);
    }

    @Test
    void aClosedLogRefusesAppends() {
        WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, (t, p) -> {});
        log.close();
        assertThatThrownBy(() -> log.append((byte) 1, new byte[1])).isInstanceOf(IllegalStateException.class);
    }

    static void flipByte(Path file, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
            ch.write(b, at);
        }
    }
}
