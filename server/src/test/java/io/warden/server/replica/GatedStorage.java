package io.warden.server.replica;

import io.warden.paxos.PaxosStorage;
import io.warden.paxos.storage.ForwardingStorage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** Real storage whose syncs wait while the gate is shut; it notes the thread of each sync. */
final class GatedStorage extends ForwardingStorage {
    private volatile CountDownLatch gate = new CountDownLatch(0);
    final List<String> syncThreads = new CopyOnWriteArrayList<>();

    GatedStorage(PaxosStorage real) {
        super(real);
    }

    void shut() {
        gate = new CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    @Override
    public void sync() {
        syncThreads.add(Thread.currentThread().getName());
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        super.sync();
    }
}
