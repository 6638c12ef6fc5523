package io.warden.jepsen.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HistoryRecorderTest {

    @Test
    void completionCopiesTheInvocationAndKeepsOrWritesTheValue() {
        AtomicLong clock = new AtomicLong(1_000);
        HistoryRecorder r = new HistoryRecorder(clock::get, op -> {});
        int p = r.newProcess();
        clock.set(1_010);
        r.invoke(p, Functions.ACQUIRE, "l1", null, 42L);
        clock.set(1_025);
        Op ok = r.ok(p, 7L);
        assertThat(ok).isEqualTo(new Op(p, OpType.OK, "acquire", "l1", 7L, 25, 42L, null));
        r.invoke(p, Functions.WRITE, "l1", 7L, 42L);
        assertThat(r.ok(p).value()).isEqualTo(7L);
        r.invoke(p, Functions.WRITE, "l1", 8L);
        assertThat(r.fail(p, "stale token")).extracting(Op::type, Op::value, Op::error)
                .containsExactly(OpType.FAIL, 8L, "stale token");
    }

    @Test
    void timeNeverGoesBackEvenIfTheClockDoes() {
        AtomicLong clock = new AtomicLong(500);
        HistoryRecorder r = new HistoryRecorder(clock::get, op -> {});
        clock.set(600);
        r.invoke(0, Functions.READ, "x", null);
        clock.set(550); // a clock that steps back (or two threads racing)
        Op done = r.ok(0, null);
        assertThat(done.time()).isEqualTo(100);
    }

    @Test
    void infoRetiresTheProcessAndNewProcessesAreFresh() {
        HistoryRecorder r = new HistoryRecorder();
        int p = r.newProcess();
        r.invoke(p, Functions.WRITE, "x", 1L);
        r.info(p, "timeout");
        assertThat(r.isRetired(p)).isTrue();
        assertThatThrownBy(() -> r.invoke(p, Functions.READ, "x", null)).isInstanceOf(IllegalStateException.class);
        r.invoke(9, Functions.READ, "x", null);
        assertThat(r.newProcess()).isEqualTo(10);
    }

    @Test
    void oneOperationInFlightPerProcess() {
        HistoryRecorder r = new HistoryRecorder();
        r.invoke(0, Functions.READ, "x", null);
        assertThatThrownBy(() -> r.invoke(0, Functions.READ, "x", null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.ok(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sinkSeesEveryOpInHistoryOrder() {
        List<Op> seen = new ArrayList<>();
        HistoryRecorder r = new HistoryRecorder(System::nanoTime, seen::add);
        r.invoke(0, Functions.READ, "x", null);
        r.ok(0, null);
        assertThat(seen).isEqualTo(r.history());
    }

    @Test
    void concurrentClientsProduceAWellFormedMonotonicHistory() throws Exception {
        HistoryRecorder r = new HistoryRecorder();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        Set<Integer> processes = ConcurrentHashMap.newKeySet();
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                start.await();
                int p = r.newProcess();
                for (int i = 0; i < 500; i++) {
                    processes.add(p);
                    r.invoke(p, Functions.WRITE, "k" + (i % 3), (long) i);
                    if (i % 97 == 0) {
                        r.info(p, "timeout");
                        p = r.newProcess();
                    } else {
                        r.ok(p);
                    }
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        List<Op> history = r.history();
        assertThat(history).hasSize(threads * 500 * 2);
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).time()).isGreaterThanOrEqualTo(history.get(i - 1).time());
        }
        List<Call> calls = History.calls(history); // throws if any process broke the rules
        assertThat(calls).hasSize(threads * 500);
        assertThat(new HashSet<>(processes)).hasSize(threads * (1 + 6)); // 6 infos per thread
    }
}
