package io.warden.jepsen.workload;

import io.warden.jepsen.history.HistoryRecorder;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every worker of a run shares: the history recorder, the cell's endpoints, the client
 * settings, when to stop, the seed, and the registry of sessions whose clients crashed on purpose
 * (see {@link SessionWatcher}). Thread-safe.
 */
public final class WorkloadContext {
    private final HistoryRecorder recorder;
    private final List<String> endpoints;
    private final ClientSettings settings;
    private final long deadlineNanos;
    private final long maxOpsPerWorker;
    private final SplittableRandom seeds;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CrashedSessions crashed = new CrashedSessions();
    private final ExecutorService closer = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jepsen-closer");
        t.setDaemon(true);
        return t;
    });

    /**
     * A context for a run that stops at {@code timeLimit} from now, or after {@code maxOpsPerWorker}
     * operations of each worker, whichever comes first.
     */
    public WorkloadContext(HistoryRecorder recorder, List<String> endpoints, ClientSettings settings, Duration timeLimit,
                           long maxOpsPerWorker, long seed) {
        this.recorder = recorder;
        this.endpoints = List.copyOf(endpoints);
        this.settings = settings;
        this.deadlineNanos = System.nanoTime() + timeLimit.toNanos();
        this.maxOpsPerWorker = maxOpsPerWorker;
        this.seeds = new SplittableRandom(seed);
    }

    public HistoryRecorder recorder() {
        return recorder;
    }

    public List<String> endpoints() {
        return endpoints;
    }

    public ClientSettings settings() {
        return settings;
    }

    public long maxOpsPerWorker() {
        return maxOpsPerWorker;
    }

    CrashedSessions crashed() {
        return crashed;
    }

    /** A random source of its own for one worker (split from the run's seed, in worker order). */
    public synchronized SplittableRandom newRandom() {
        return seeds.split();
    }

    /** True once the time limit passed or {@link #stop()} was called. */
    public boolean stopped() {
        return stopped.get() || System.nanoTime() >= deadlineNanos;
    }

    /** Asks every worker to finish its current operation and stop. */
    public void stop() {
        stopped.set(true);
    }

    /** Runs {@code task} (closing an abandoned client) off the worker's thread. */
    void closeLater(Runnable task) {
        closer.execute(task);
    }

    /** Waits for background closes to finish (at most {@code timeout}). */
    public void awaitClosed(Duration timeout) throws InterruptedException {
        closer.shutdown();
        closer.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
