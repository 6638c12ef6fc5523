package io.warden.paxos.storage;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A planted bug for the kill test: {@link #sync()} returns at once and a background timer writes
 * and forces the buffered records later, so the caller acknowledges writes that still live only in
 * this process's memory. Merely skipping fsync would not do: the page cache survives a
 * {@code kill -9}; records that never left user space do not. Test code only.
 */
final class UnsafeAckBeforeWriteStorage extends ForwardingStorage implements AutoCloseable {
    private final DurablePaxosStorage delegate;
    private final ScheduledExecutorService lazyWriter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lazy-writer");
        t.setDaemon(true);
        return t;
    });

    UnsafeAckBeforeWriteStorage(DurablePaxosStorage delegate, long flushEveryMillis) {
        super(delegate);
        this.delegate = delegate;
        lazyWriter.scheduleWithFixedDelay(delegate::sync, flushEveryMillis, flushEveryMillis, TimeUnit.MILLISECONDS);
    }

    /** The bug: claims durability without writing anything. */
    @Override
    public void sync() {}

    @Override
    public void close() {
        lazyWriter.shutdownNow();
        delegate.close();
    }
}
