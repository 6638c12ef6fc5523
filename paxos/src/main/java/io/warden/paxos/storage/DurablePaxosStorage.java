package io.warden.paxos.storage;

import io.warden.paxos.Ballot;
import io.warden.paxos.DurableState;
import io.warden.paxos.PaxosStorage;
import io.warden.paxos.Snapshot;
import io.warden.paxos.Value;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link PaxosStorage} on disk: a {@link WriteAheadLog} in {@code dir/log} holds one record per
 * promise, accepted value and decided value; {@link SnapshotFiles} in {@code dir/snapshots} hold the
 * snapshots.
 *
 * <p>Durability: {@code persist*} buffer; {@link #sync()} returns when everything persisted before
 * it is on disk, and a crash keeps a prefix of the persisted writes. {@link #persistSnapshot} writes
 * the snapshot file in the background ({@link #awaitSnapshotWrites} waits for it); until then a
 * crash recovers from the previous snapshot and the log, which is kept for it. Compaction keeps
 * the newest snapshot and the one before it, and every log segment the older one needs, so a
 * damaged newest snapshot file falls back without losing a slot.
 *
 * <p>Threading: all methods are thread-safe. {@code persist*} calls are serialised; concurrent
 * {@code sync} callers share disk forces (group commit). Errors are {@link UncheckedIOException}s
 * after which the storage is unusable: the process must stop rather than answer. Do not interrupt
 * threads inside {@code sync}: an interrupted file write closes the channel and fails the log.
 */
public final class DurablePaxosStorage implements PaxosStorage, Closeable {
    /** Tuning; {@code segmentBytes} is the preallocated size of each log segment. */
    public record Options(long segmentBytes) {
        public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

        public Options {
            if (segmentBytes < 4096) throw new IllegalArgumentException("segmentBytes must be >= 4096");
        }

        public static Options defaults() {
            return new Options(DEFAULT_SEGMENT_BYTES);
        }
    }

    private final WriteAheadLog log;
    private final SnapshotFiles snapshots;
    private final DurableState recovered;
    private final ReentrantLock snapshotLock = new ReentrantLock();
    // Guards live and the order of log appends, so the log and live always agree.
    private final ReentrantLock liveLock = new ReentrantLock();
    private final LiveState live;
    private long snapshotSlot;
    private volatile UncheckedIOException broken;
    /** Writes snapshot files, one at a time, off the thread that takes them. */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "warden-snapshot-writer");
        t.setDaemon(true);
        return t;
    });
    private volatile Future<?> pendingWrite;

    private DurablePaxosStorage(WriteAheadLog log, SnapshotFiles snapshots, LiveState live,
                                Optional<Snapshot> snapshot) {
        this.log = log;
        this.snapshots = snapshots;
        this.live = live;
        this.recovered = live.toDurableState(snapshot);
        this.snapshotSlot = snapshot.map(Snapshot::lastSlot).orElse(-1L);
    }

    /** Opens the storage in {@code dir} with default options (64 MiB segments). */
    public static DurablePaxosStorage open(Path dir) {
        return open(dir, Options.defaults());
    }

    /**
     * Opens (or creates) the storage in {@code dir}: picks the newest snapshot file that verifies,
     * replays the log, and repairs a torn tail.
     *
     * @throws UncheckedIOException on an I/O error, or when the files on disk cannot give back
     *     everything that was synced (a damaged synced segment, or log segments missing that the
     *     chosen snapshot needs)
     */
    public static DurablePaxosStorage open(Path dir, Options options) {
        SnapshotFiles snapshots = SnapshotFiles.open(dir.resolve("snapshots"));
        Optional<SnapshotFiles.Stored> newest = snapshots.newest();
        Optional<Snapshot> snapshot = newest.map(snapshots::read);
        LiveState live = new LiveState();
        snapshot.ifPresent(s -> live.coverThrough(s.lastSlot()));
        WriteAheadLog log = WriteAheadLog.open(dir.resolve("log"), options.segmentBytes(),
            (type, payload) -> live.apply(decode(type, payload)));
        // The chosen snapshot needs the log from the segment that started when it was taken.
        long required = newest.map(SnapshotFiles.Stored::walSegment).orElse(1L);
        if (log.oldestSegment() > required || log.currentSegment() < required) {
            long oldest = log.oldestSegment();
            log.close();
            throw new UncheckedIOException(new IOException("storage in " + dir + " needs log segment " + required
                + " for snapshot " + newest.map(SnapshotFiles.Stored::file).orElse(null)
                + " but the oldest segment is " + oldest + ": synced state is missing"));
        }
        return new DurablePaxosStorage(log, snapshots, live, snapshot);
    }

    private static LogRecord decode(byte type, byte[] payload) {
        try {
            return LogRecord.decode(type, payload);
        } catch (IOException e) {
            throw new UncheckedIOException("a log record passed its CRC but does not decode", e);
        }
    }

    /** The state found on disk at open. */
    @Override
    public DurableState recover() {
        return recovered;
    }

    @Override
    public void persistPromise(Ballot promised) {
        append(new LogRecord.Promise(promised), -1);
    }

    @Override
    public void persistAccepted(long slot, Ballot ballot, Value value) {
        append(new LogRecord.Accepted(slot, ballot, value), slot);
    }

    @Override
    public void persistDecided(long slot, Value value) {
        append(new LogRecord.Decided(slot, value), slot);
    }

    private void append(LogRecord record, long slot) {
        byte[] payload = record.payload();
        liveLock.lock();
        try {
            checkUsable();
            if (slot >= 0 && !live.isLive(slot)) return; // a snapshot already covers it
            log.append(record.type(), payload);
            live.apply(record);
        } finally {
            liveLock.unlock();
        }
    }

    /** Blocks until everything persisted before the call is durable; shares forces with other callers. */
    @Override
    public void sync() {
        checkUsable();
        log.sync();
    }

    /**
     * Takes {@code snapshot} as the state through its last slot and writes it in the background.
     * Here, on the caller's thread: flush the log, then rewrite the live state (promise, slots
     * above the snapshot) into the current log segment and sync it, so everything after the
     * snapshot is in that segment or later ones. In the background: write the snapshot file naming that segment, then delete the
     * snapshot files and segments older than the previous snapshot. A crash at any point leaves a
     * snapshot with all the log it needs (the previous one, if the new file was not written yet;
     * nothing it needs is deleted before the new file is durable).
     *
     * <p>Why in the background: the file (MapDB, forced, verified) took 0.3-0.7 s (2 s cold) for
     * the 3 MiB of cell state a busy cell had; every replica reaches the same slot at about the same moment, so
     * writing it inline stalled the whole cell that long every 10,000 slots.
     *
     * @throws IllegalArgumentException if {@code snapshot} is older than the current snapshot
     */
    @Override
    public void persistSnapshot(Snapshot snapshot) {
        snapshotLock.lock();
        try {
            awaitSnapshotWrites(); // one write at a time, in order
            long segment;
            liveLock.lock();
            try {
                if (snapshot.lastSlot() < snapshotSlot) {
                    throw new IllegalArgumentException("snapshot through " + snapshot.lastSlot()
                        + " is older than the stored one through " + snapshotSlot);
                }
                checkUsable();
                log.sync(); // what was buffered lands in segments up to the current one
                segment = log.currentSegment();
                live.coverThrough(snapshot.lastSlot());
                for (LogRecord r : live.records()) log.append(r.type(), r.payload());
                snapshotSlot = snapshot.lastSlot();
            } finally {
                liveLock.unlock();
            }
            log.sync();
            pendingWrite = writer.submit(() -> writeSnapshot(snapshot, segment));
        } catch (UncheckedIOException e) {
            broken = e; // memory no longer matches the disk: refuse everything from now on
            throw e;
        } finally {
            snapshotLock.unlock();
        }
    }

    /** Blocks until every snapshot taken so far is written (and what it replaces deleted). */
    public void awaitSnapshotWrites() {
        Future<?> pending = pendingWrite;
        if (pending == null) return;
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted waiting for a snapshot write"));
        } catch (ExecutionException e) {
            // the writer already marked the storage broken
        }
        checkUsable();
    }

    private void writeSnapshot(Snapshot snapshot, long segment) {
        try {
            snapshots.write(snapshot, segment);
            List<SnapshotFiles.Stored> stored = snapshots.stored();
            if (stored.size() >= 2) {
                SnapshotFiles.Stored previous = stored.get(stored.size() - 2);
                snapshots.deleteOlderThan(previous.sequence());
                log.deleteSegmentsBelow(previous.walSegment());
            }
        } catch (RuntimeException e) {
            broken = e instanceof UncheckedIOException u ? u : new UncheckedIOException(new IOException(e));
            throw e;
        }
    }

    /** Finishes the snapshot being written, syncs what was persisted and closes the files; later calls throw. */
    @Override
    public void close() {
        try {
            awaitSnapshotWrites();
        } finally {
            writer.shutdown();
            log.close();
        }
    }

    private void checkUsable() {
        UncheckedIOException e = broken;
        if (e != null) throw new UncheckedIOException("storage failed earlier", e.getCause());
    }

    /** For tests and the benchmark: the log underneath. */
    WriteAheadLog log() {
        return log;
    }
}
