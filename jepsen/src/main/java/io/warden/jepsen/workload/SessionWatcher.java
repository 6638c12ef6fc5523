package io.warden.jepsen.workload;

import io.warden.api.Event;
import io.warden.client.EventFilter;
import io.warden.client.EventSubscription;
import io.warden.client.RetryPolicy;
import io.warden.client.WardenClient;
import io.warden.jepsen.history.Functions;
import io.warden.jepsen.history.HistoryRecorder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows the cell's event stream from its first event and records each {@code session.expired}
 * event as a {@code session-expired} op (session: the expired one) completed {@code ok} the moment
 * the harness learns of it: the cell's own declaration, which the checkers hold against the proofs
 * of life the workers recorded. For a session whose client crashed on purpose, it also records the
 * lock that client held as lost: a {@code release} of its token by the holder's process, completed
 * {@code ok} with the error {@code "lost: ..."} (a loss, not a voluntary release: it frees nothing
 * before the lock-delay).
 *
 * <p>All its ops are recorded by one process of its own, one at a time (the subscription calls its
 * listener in order). Thread-safe.
 */
public final class SessionWatcher implements AutoCloseable {
    private final HistoryRecorder recorder;
    private final CrashedSessions crashed;
    private final WardenClient client;
    private final EventSubscription subscription;
    private final int process;
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong lastIndex = new AtomicLong();

    /** Starts following the cell at {@code endpoints} from event 1. */
    public SessionWatcher(WorkloadContext ctx) {
        this.recorder = ctx.recorder();
        this.crashed = ctx.crashed();
        this.process = recorder.newProcess();
        this.client = WardenClient.builder().endpoints(ctx.endpoints().toArray(String[]::new))
                .requestTimeout(ctx.settings().requestTimeout())
                .retryPolicy(new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(400), Duration.ofSeconds(30)))
                .build();
        this.subscription = client.watch(EventFilter.all(), 1, new EventSubscription.Listener() {
            @Override
            public void event(Event e) {
                onEvent(e);
            }

            @Override
            public void resync(long last) {
                System.err.println("[jepsen] the cell compacted events the session watcher had not read (up to "
                        + last + "): session expiries before it are not recorded");
            }
        });
    }

    private void onEvent(Event e) {
        lastIndex.set(e.index());
        if (!"session.expired".equals(e.type()) || e.session() == null) {
            return;
        }
        long session = e.session();
        recorder.invoke(process, Functions.SESSION_EXPIRED, null, null, session);
        recorder.ok(process);
        expired.incrementAndGet();
        List<CrashedSessions.Held> held = crashed.expired(session);
        for (CrashedSessions.Held h : held) {
            if (recorder.isRetired(h.process())) {
                continue;
            }
            recorder.invoke(h.process(), Functions.RELEASE, h.lock(), h.token(), session);
            recorder.ok(h.process(), h.token(), "lost: session " + session + " expired (its client crashed)");
        }
    }

    /** Session expiries recorded so far. */
    public long expired() {
        return expired.get();
    }

    /** The index of the last event seen. */
    public long lastIndex() {
        return lastIndex.get();
    }

    @Override
    public void close() {
        subscription.close();
        client.close();
    }
}
