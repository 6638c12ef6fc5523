package io.warden.paxos.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes the log's next segment file in the background ({@link WalSegment#prepare}), so rolling
 * over to it is a rename and a directory fsync instead of writing and forcing 64 MiB of zeros
 * while every writer waits: that had stalled each replica's log ~70 ms, all three at about the
 * same moment (etcd's WAL prepares its next file the same way). Holds at most one prepared file,
 * under its temporary name until {@link #take} installs it; if preparing failed, or a record
 * needs a larger segment, {@code take} creates the segment itself, as the log did before.
 *
 * <p>Used by the log's flusher, one call at a time. The worker thread exits when idle.
 */
final class SegmentPipeline implements Closeable {
    private final Path dir;
    private final long capacity;
    private final ThreadPoolExecutor worker;
    private long preparedIndex;
    private Future<Path> prepared;

    SegmentPipeline(Path dir, long capacity) {
        this.dir = dir;
        this.capacity = capacity;
        this.worker = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "wal-prepare-" + dir.getFileName());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts writing segment {@code index} in the background. */
    void prepare(long index) {
        if (prepared != null) throw new IllegalStateException("segment " + preparedIndex + " is still prepared");
        preparedIndex = index;
        prepared = worker.submit(() -> WalSegment.prepare(dir, index, capacity));
    }

    /**
     * Segment {@code index} with room for at least {@code minCapacity} bytes, open for appending:
     * the prepared file when it is that segment and large enough, otherwise created now. The
     * caller fsyncs the directory.
     */
    WalSegment take(long index, long minCapacity) throws IOException {
        Path ready = awaitPrepared();
        if (ready != null) {
            if (preparedIndex == index && minCapacity <= capacity) return WalSegment.install(ready, index);
            Files.delete(ready);
        }
        return WalSegment.create(dir, index, Math.max(capacity, minCapacity));
    }

    /** Waits for the file being prepared and deletes it (the log is closing). */
    @Override
    public void close() throws IOException {
        try {
            Path ready = awaitPrepared();
            if (ready != null) Files.deleteIfExists(ready);
        } finally {
            worker.shutdown();
        }
    }

    /** The prepared file, or null when none was asked for or preparing it failed (the partial file is deleted). */
    private Path awaitPrepared() throws IOException {
        Future<Path> f = prepared;
        prepared = null;
        if (f == null) return null;
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the next log segment");
        } catch (ExecutionException e) {
            Files.deleteIfExists(WalSegment.temporary(dir, preparedIndex));
            return null;
        }
    }
}
