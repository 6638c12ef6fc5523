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
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link PaxosStorage} on disk: a {@link WriteAheadLog} in {@code dir/log} holds one record per
 * promise, accepted value and decided value; {@link SnapshotFiles} in {@code dir/snapshots} hold the
 * snapshots.
 *
 * <p>Durability: {@code persist*} buffer; {@link #sync()} returns when everything persisted before
 * it is on disk, and a crash keeps a prefix of the persisted writes. {@link #persistSnapshot} is
 * durable on return. Compaction keeps the newest snapshot and the one before it, and every log
 * segment the older one needs, so a damaged newest snapshot file falls back without losing a slot.
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
     * Makes {@code snapshot} durable, then discards what it makes unnecessary. Order: start a new
     * log segment and rewrite the live state (promise, slots above the snapshot) at its head, sync;
     * write the snapshot file naming that segment; then delete snapshot files and segments older
     * than the previous snapshot. A crash at any point leaves a snapshot with all the log it needs.
     *
     * @throws IllegalArgumentException if {@code snapshot} is older than the current snapshot
     */
    @Override
    public void persistSnapshot(Snapshot snapshot) {
        snapshotLock.lock();
        try {
            long segment;
            liveLock.lock();
            try {
                if (snapshot.lastSlot() < snapshotSlot) {
                    throw new IllegalArgumentException("snapshot through " + snapshot.lastSlot()
                        + " is older than the stored one through " + snapshotSlot);
                }
                checkUsable();
                segment = log.rotate();
                live.coverThrough(snapshot.lastSlot());
                for (LogRecord r : live.records()) log.append(r.type(), r.payload());
                snapshotSlot = snapshot.lastSlot();
            } finally {
                liveLock.unlock();
            }
            log.sync();
            snapshots.write(snapshot, segment);
            List<SnapshotFiles.Stored> stored = snapshots.stored();
            if (stored.size() >= 2) {
                SnapshotFiles.Stored previous = stored.get(stored.size() - 2);
                snapshots.deleteOlderThan(previous.sequence());
                log.deleteSegmentsBelow(previous.walSegment());
            }
        } catch (UncheckedIOException e) {
            broken = e; // memory no longer matches the disk: refuse everything from now on
            throw e;
        } finally {
            snapshotLock.unlock();
        }
    }

    /** Syncs what was persisted and closes the files; later calls throw. */
    @Override
    public void close() {
        log.close();
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
