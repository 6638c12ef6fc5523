package io.warden.paxos.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitTest {
    private static byte[] record(int thread, int n) {
        return ByteBuffer.allocate(8).putInt(thread).putInt(n).array();
    }

    /** The contract under contention: sync returns only after the caller's records were flushed. */
    @Test
    void syncReturnsOnlyAfterTheCallersRecordsWereFlushedInOrder() throws Exception {
        int threads = 16;
        int perThread = 400;
        Set<ByteBuffer> flushed = ConcurrentHashMap.newKeySet();
        List<byte[]> order = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger concurrentFlushes = new AtomicInteger();
        GroupCommit commits = new GroupCommit((frames, rotate) -> {
            assertThat(concurrentFlushes.incrementAndGet()).as("one flush at a time").isEqualTo(1);
            order.addAll(frames);
            for (byte[] f : frames) flushed.add(ByteBuffer.wrap(f));
            concurrentFlushes.decrementAndGet();
            return -1;
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    for (int n = 0; n < perThread; n++) {
                        commits.append(record(id, n));
                        commits.sync();
                        assertThat(flushed).contains(ByteBuffer.wrap(record(id, n)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        int[] next = new int[threads];
        for (byte[] f : order) {
            ByteBuffer b = ByteBuffer.wrap(f);
            int thread = b.getInt();
            assertThat(b.getInt()).isEqualTo(next[thread]++);
        }
        assertThat(next).containsOnly(perThread);
    }

    @Test
    void rotateFlushesEarlierRecordsThenReportsTheNewSegment() {
        List<String> calls = new ArrayList<>();
        GroupCommit commits = new GroupCommit((frames, rotate) -> {
            calls.add(frames.size() + (rotate ? " then rotate" : ""));
            return rotate ? 7 : -1;
        });
        commits.append(new byte[1]);
        commits.append(new byte[1]);
        assertThat(commits.rotate()).isEqualTo(7);
        commits.sync(); // nothing appended since: no flush
        assertThat(calls).containsExactly("2 then rotate");
    }

    @Test
    void afterAFailedFlushEveryCallThrows() {
        GroupCommit commits = new GroupCommit((frames, rotate) -> {
            throw new IOException("disk gone");
        });
        commits.append(new byte[1]);
        assertThatThrownBy(commits::sync).isInstanceOf(UncheckedIOException.class).hasRootCauseMessage("disk gone");
        assertThatThrownBy(() -> commits.append(new byte[1])).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(commits::sync).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void anUncheckedExceptionFromTheFlusherAlsoFailsTheLog() {
        GroupCommit commits = new GroupCommit((frames, rotate) -> {
            throw new IllegalStateException("bug in the flusher");
        });
        commits.append(new byte[1]);
        assertThatThrownBy(commits::sync).isInstanceOf(UncheckedIOException.class).hasRootCauseMessage("bug in the flusher");
        assertThatThrownBy(commits::sync).isInstanceOf(UncheckedIOException.class);
    }

    /** A waiter with its interrupt flag set still waits for durability, and keeps the flag. */
    @Test
    void anInterruptedWaiterStillWaitsForItsRecordsAndKeepsItsFlag() throws Exception {
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Set<Integer> flushedSizes = ConcurrentHashMap.newKeySet();
        GroupCommit commits = new GroupCommit((frames, rotate) -> {
            flushing.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            flushedSizes.add(frames.size());
            return -1;
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            commits.append(new byte[1]);
            Future<?> leader = pool.submit(commits::sync);
            flushing.await();
            AtomicReference<Thread> waiterThread = new AtomicReference<>();
            Future<Boolean> waiter = pool.submit(() -> {
                waiterThread.set(Thread.currentThread());
                Thread.currentThread().interrupt();
                commits.sync(); // nothing new appended: waits for the batch in flight
                return Thread.currentThread().isInterrupted();
            });
            // Let it reach the wait before the flush ends, so the waiting path is what runs.
            while (waiterThread.get() == null || waiterThread.get().getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            finish.countDown();
            leader.get();
            assertThat(waiter.get()).isTrue();
            assertThat(flushedSizes).containsExactly(1);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Callers parked behind a flush that fails must not wait forever, nor return as if durable. */
    @Test
    void callersWaitingBehindAFailedFlushThrowToo() throws Exception {
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        GroupCommit commits = new GroupCommit((frames, rotate) -> {
            flushing.countDown();
            try {
                fail.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("disk gone");
        });
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            commits.append(new byte[1]);
            Future<?> leader = pool.submit(commits::sync);
            flushing.await();
            List<Thread> parked = Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> followers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                followers.add(pool.submit(() -> {
                    parked.add(Thread.currentThread());
                    commits.append(new byte[1]);
                    commits.sync();
                }));
            }
            while (parked.size() < 2 || parked.stream().anyMatch(t -> t.getState() != Thread.State.WAITING)) {
                Thread.onSpinWait(); // until both followers are parked behind the flush
            }
            fail.countDown();
            assertThatThrownBy(leader::get).hasCauseInstanceOf(UncheckedIOException.class);
            for (Future<?> f : followers) assertThatThrownBy(f::get).hasCauseInstanceOf(UncheckedIOException.class);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedGroupCommitRefusesAppends() {
        List<Integer> flushed = new ArrayList<>();
        GroupCommit commits = new GroupCommit((frames, rotate) -> {
            flushed.add(frames.size());
            return -1;
        });
        commits.append(new byte[1]);
        commits.close();
        assertThat(flushed).containsExactly(1);
        assertThatThrownBy(() -> commits.append(new byte[1])).isInstanceOf(IllegalStateException.class);
    }
}
