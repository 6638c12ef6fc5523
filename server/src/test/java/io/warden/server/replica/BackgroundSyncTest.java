package io.warden.server.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.paxos.Ballot;
import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import io.warden.paxos.DurableState;
import io.warden.paxos.Message;
import io.warden.paxos.PaxosStorage;
import io.warden.paxos.Snapshot;
import io.warden.paxos.Value;
import io.warden.paxos.storage.ForwardingStorage;
import io.warden.server.cell.CellCommand;
import io.warden.server.cell.CellResult;
import io.warden.server.cell.CellState;
import io.warden.server.config.LoadLimits;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The loop hands its syncs to {@link BackgroundSync} and goes on: it must still answer a write
 * only once the votes that decided it are durable, and it must not stop serving while the disk
 * is slow. A one-member cell makes the master's own vote the only one, so the order is visible.
 */
class BackgroundSyncTest {

    private GatedStorage gated;

    @Test
    void repliesLeaveAfterTheirSyncInTheOrderTheyCameWhateverTheReadiesHeld() throws Exception {
        GatedStorage storage = new GatedStorage(new NoWrites());
        List<Message> sent = new CopyOnWriteArrayList<>();
        List<Message> own = new CopyOnWriteArrayList<>();
        Message first = new Message.Accepted(2, 1, new Ballot(1, 1), 7);
        Message second = new Message.Accepted(2, 1, new Ballot(1, 1), 8);
        Message mine = new Message.Accepted(2, 2, new Ballot(1, 1), 8);
        try (BackgroundSync syncs = new BackgroundSync(2, storage, sent::add, own::addAll, new Timer(), new Counter())) {
            syncs.start();
            storage.shut();
            syncs.after(true, List.of(first));
            syncs.after(false, List.of()); // a Ready with nothing to sync or send, queued behind
            syncs.after(true, List.of(second, mine));
            Thread.sleep(100);
            assertThat(sent).as("nothing leaves before its sync").isEmpty();
            assertThat(syncs.idle()).isFalse();

            storage.open();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!syncs.idle() && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(sent).containsExactly(first, second);
            assertThat(own).as("its replies to itself go back to the loop").containsExactly(mine);
        }
    }

    @Test
    void aSyncOnTheCallersThreadWaitsForNothingHandedOverSoItIsRefusedWhileRepliesWait() throws Exception {
        GatedStorage storage = new GatedStorage(new NoWrites());
        List<Message> sent = new CopyOnWriteArrayList<>();
        try (BackgroundSync syncs = new BackgroundSync(2, storage, sent::add, m -> {}, new Timer(), new Counter())) {
            syncs.start();
            storage.shut();
            syncs.after(true, List.of(new Message.Accepted(2, 1, new Ballot(1, 1), 7)));
            assertThatThrownBy(syncs::syncHere).as("what it sends next could overtake the reply still waiting")
                .isInstanceOf(IllegalStateException.class);

            storage.open();
            awaitSent(sent, 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!syncs.idle() && System.nanoTime() < deadline) Thread.sleep(5);
            syncs.syncHere();
            assertThat(storage.syncThreads).endsWith(Thread.currentThread().getName());
        }
    }

    @Test
    void anFsyncOverTheSlowBoundIsCountedAndAQuickOneIsNot() throws Exception {
        long slowMillis = TimeUnit.NANOSECONDS.toMillis(BackgroundSync.SLOW_SYNC_NANOS) + 50;
        AtomicBoolean slowDisk = new AtomicBoolean(true);
        PaxosStorage storage = new ForwardingStorage(new NoWrites()) {
            @Override
            public void sync() {
                if (!slowDisk.get()) return;
                try {
                    Thread.sleep(slowMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Counter slow = new Counter();
        List<Message> sent = new CopyOnWriteArrayList<>();
        try (BackgroundSync syncs = new BackgroundSync(2, storage, sent::add, m -> {}, new Timer(), slow)) {
            syncs.start();
            syncs.after(true, List.of(new Message.Accepted(2, 1, new Ballot(1, 1), 7)));
            awaitSent(sent, 1);
            slowDisk.set(false);
            syncs.after(true, List.of(new Message.Accepted(2, 1, new Ballot(1, 1), 8)));
            awaitSent(sent, 2);
        }
        assertThat(slow.getCount()).isEqualTo(1);
    }

    private static void awaitSent(List<Message> sent, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sent.size() < n && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(sent).hasSize(n);
    }

    /** Storage for a test that writes nothing: syncs return at once. */
    private static final class NoWrites implements PaxosStorage {
        @Override
        public DurableState recover() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void persistPromise(Ballot promised) {}

        @Override
        public void persistAccepted(long slot, Ballot ballot, Value value) {}

        @Override
        public void persistDecided(long slot, Value value) {}

        @Override
        public void persistSnapshot(Snapshot snapshot) {}

        @Override
        public void sync() {}
    }

    @Test
    void aWriteIsAnsweredOnlyOnceTheMastersOwnVoteIsDurableAndTheLoopServesMeanwhile() throws Exception {
        try (OneReplicaLoop cell = new OneReplicaLoop(LoadLimits.defaults(), s -> gated = new GatedStorage(s))) {
            cell.start();
            gated.shut();
            CompletableFuture<CellResult> write = cell.loop().submit(1, 1, new CellCommand.CreateSession(10_000, "test", null));

            // The loop is not waiting for the disk: a linearizable read (under the lease) is served.
            assertThat(cell.loop().read(CellState::sessionCount).get(5, TimeUnit.SECONDS)).isZero();
            Thread.sleep(200);
            assertThat(write).as("answered before the only vote that decides it was durable").isNotDone();

            gated.open();
            assertThat(write.get(5, TimeUnit.SECONDS)).isInstanceOf(CellResult.SessionCreated.class);
            assertThat(cell.loop().read(CellState::sessionCount).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }
}
