package io.warden.paxos.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * An append-only log of typed records in preallocated segment files (format in {@link WalSegment}).
 *
 * <p>Durability: {@link #append} only buffers in memory. {@link #sync} returns once every record
 * appended before it was called is written and forced ({@code fdatasync}) to disk. Records become
 * durable in append order, so a crash keeps a prefix of them: a segment is forced whole before the
 * next one receives a record, and a new segment is created under a temporary name, forced, renamed
 * and the directory fsynced. The next segment is written ahead, in the background ({@link SegmentPipeline}),
 * so a log on disk holds one more segment-sized file than its records need.
 *
 * <p>Threading: every method may be called from any thread. Concurrent {@code sync} callers share
 * forces (group commit, see {@link GroupCommit}): one force covers every append made before it
 * started, and the callers it covers return without touching the disk. After an I/O error while
 * writing the log is failed: every later call throws, because a failed fsync may have dropped
 * dirty pages and retrying it would lie. Interrupting a thread while it writes for the log counts
 * as such an error: Java closes an interruptible {@link FileChannel} that an interrupted thread uses.
 *
 * <p>Recovery ({@link #open}) replays the valid records in order, stops at the first short, zero or
 * bad-CRC record of the newest segment, and zeroes what follows it. Damage in an older segment,
 * which was forced whole, means synced data was lost: that fails the open rather than guessing.
 */
public final class WriteAheadLog implements Closeable {
    /** Receives replayed records in log order. */
    @FunctionalInterface
    public interface RecordConsumer {
        void accept(byte type, byte[] payload);
    }

    private final Path dir;
    private final long segmentBytes;
    private final GroupCommit commits = new GroupCommit(this::flush);
    private final SegmentPipeline nextSegments;

    // ioLock guards the files: the current segment and the older ones. Flushes come one at a time
    // from GroupCommit; the lock keeps deletes and queries from seeing a rotation half done.
    private final ReentrantLock ioLock = new ReentrantLock();
    private final TreeMap<Long, Path> sealed = new TreeMap<>();
    private WalSegment current;
    private long forces;
    private final ByteBuffer staging = ByteBuffer.allocateDirect(1 << 20);

    private WriteAheadLog(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.nextSegments = new SegmentPipeline(dir, segmentBytes);
    }

    /**
     * Opens (or creates) the log in {@code dir}, passing every valid record to {@code replay} in
     * order before returning; leftover temporary files are deleted and a torn tail is repaired.
     *
     * @param segmentBytes the preallocated size of a new segment (a record larger than that gets
     *     a segment of its own size)
     * @throws UncheckedIOException on an I/O error or when a forced segment is damaged
     */
    public static WriteAheadLog open(Path dir, long segmentBytes, RecordConsumer replay) {
        if (segmentBytes < 4096) throw new IllegalArgumentException("segments must be >= 4096 bytes");
        WriteAheadLog log = new WriteAheadLog(dir, segmentBytes);
        try {
            log.recover(replay);
            log.nextSegments.prepare(log.current.index + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open write-ahead log in " + dir, e);
        }
        return log;
    }

    private void recover(RecordConsumer replay) throws IOException {
        Files.createDirectories(dir);
        TreeMap<Long, Path> found = new TreeMap<>();
        boolean deleted = false;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                OptionalLong index = WalSegment.parseIndex(f);
                if (index.isPresent()) {
                    found.put(index.getAsLong(), f);
                } else if (f.getFileName().toString().endsWith(".tmp")) {
                    Files.delete(f); // a segment whose creation did not finish: never held a record
                    deleted = true;
                }
            }
        }
        if (deleted) fsyncDirectory();
        if (found.isEmpty()) {
            current = WalSegment.create(dir, 1, segmentBytes);
            fsyncDirectory();
            return;
        }
        if (found.lastKey() - found.firstKey() + 1 != found.size()) {
            throw new IOException("write-ahead log segments are not contiguous: " + found.keySet());
        }
        for (var e : found.entrySet()) {
            WalSegment segment = WalSegment.open(e.getValue(), e.getKey());
            try {
                WalSegment.ScanResult result = segment.scan(replay);
                if (e.getKey() < found.lastKey()) {
                    segment.close();
                    if (!result.clean()) {
                        throw new IOException("segment " + e.getValue() + " is damaged at offset " + result.end()
                            + " although a later segment exists: data that was synced is lost");
                    }
                    sealed.put(e.getKey(), e.getValue());
                } else {
                    segment.zeroTail(segmentBytes);
                    current = segment;
                }
            } catch (RuntimeException | IOException ex) {
                segment.close();
                throw ex;
            }
        }
    }

    /**
     * Buffers one record; returns its sequence number (1, 2, ... in this process). Not durable
     * until a later {@link #sync} returns.
     */
    public long append(byte type, byte[] payload) {
        return commits.append(WalSegment.frame(type, payload));
    }

    /**
     * Blocks until every record appended before this call is durable, sharing one write and force
     * with the other callers waiting at the same time (see {@link GroupCommit}).
     */
    public void sync() {
        commits.sync();
    }

    /**
     * Makes everything appended before the call durable, then starts a new segment and returns its
     * index. Records appended after this returns land in that segment or a later one.
     */
    public long rotate() {
        return commits.rotate();
    }

    /**
     * Deletes the segments with an index below {@code index} (never the current one). Only the
     * bookkeeping holds ioLock: unlinking a 64 MiB segment takes ~15 ms (more under load), and
     * under the lock every flush, so every vote of this replica, waited for it.
     */
    public void deleteSegmentsBelow(long index) {
        List<Path> doomed;
        ioLock.lock();
        try {
            var below = sealed.headMap(index);
            doomed = new ArrayList<>(below.values()); // oldest first, so a crash midway leaves a contiguous suffix
            below.clear();
        } finally {
            ioLock.unlock();
        }
        if (doomed.isEmpty()) return;
        try {
            for (Path p : doomed) Files.delete(p);
            fsyncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete old segments in " + dir, e);
        }
    }

    /** The index of the oldest segment still on disk. */
    public long oldestSegment() {
        ioLock.lock();
        try {
            return sealed.isEmpty() ? current.index : sealed.firstKey();
        } finally {
            ioLock.unlock();
        }
    }

    /** The index of the segment that receives new records. */
    public long currentSegment() {
        ioLock.lock();
        try {
            return current.index;
        } finally {
            ioLock.unlock();
        }
    }

    /** How many times the log forced a segment: with group commit, fewer than the syncs. */
    long forces() {
        ioLock.lock();
        try {
            return forces;
        } finally {
            ioLock.unlock();
        }
    }

    /** Syncs what was appended, then closes the files. Later calls throw. Call after the last append. */
    @Override
    public void close() {
        try {
            commits.close();
        } finally {
            ioLock.lock();
            try (nextSegments) {
                current.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                ioLock.unlock();
            }
        }
    }

    /** GroupCommit's flusher: one batch at a time, in order. */
    private long flush(List<byte[]> frames, boolean rotate) throws IOException {
        ioLock.lock();
        try {
            for (byte[] frame : frames) {
                if (frame.length > current.remaining() - staging.position()) {
                    // Force the full segment before the next one gets a record: durable stays a prefix.
                    flushStaging();
                    current.force();
                    forces++;
                    startSegment(frame.length);
                }
                if (staging.position() + frame.length > staging.capacity()) flushStaging();
                if (frame.length > staging.capacity()) {
                    current.write(ByteBuffer.wrap(frame));
                } else {
                    staging.put(frame);
                }
            }
            flushStaging();
            current.force();
            forces++;
            if (!rotate) return -1;
            startSegment(0);
            return current.index;
        } finally {
            staging.clear(); // after a failure nothing is retried, so nothing staged may linger
            ioLock.unlock();
        }
    }

    private void flushStaging() throws IOException {
        staging.flip();
        if (staging.hasRemaining()) current.write(staging);
        staging.clear();
    }

    /** Caller holds ioLock and has forced the current segment. */
    private void startSegment(int minRecordBytes) throws IOException {
        WalSegment next = nextSegments.take(current.index + 1, WalSegment.HEADER_BYTES + (long) minRecordBytes);
        fsyncDirectory();
        current.close();
        sealed.put(current.index, current.path);
        current = next;
        nextSegments.prepare(next.index + 1);
    }

    private void fsyncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
