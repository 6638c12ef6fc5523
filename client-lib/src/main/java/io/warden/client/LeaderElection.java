package io.warden.client;

import io.warden.api.Event;
import io.warden.api.Locks;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Leader election on one lock: the leader is the lock's exclusive holder, and it proclaims itself
 * (an address, an id) in the lock's value. Leadership is a {@link Grant}: it ends, with listeners
 * told and its token invalid, the moment the session enters JEOPARDY, so a process that may have
 * lost leadership never keeps acting as leader (the reconnect double-leader of apache/curator#1121).
 *
 * <p>Threading: thread-safe; {@link #campaign} blocks its caller; observers run on the client's scheduler.
 */
public final class LeaderElection {
    /** Who leads: the holding session, its fencing token and proclaimed value. */
    public record Leader(long session, long token, String value) {}

    private final Session session;
    private final String lock;
    private volatile Grant leadership;

    LeaderElection(Session session, String lock) {
        this.session = session;
        this.lock = lock;
    }

    /**
     * Blocks until this session leads (or the thread is interrupted), then proclaims {@code value}.
     * Returns the leadership grant: check {@link Grant#isValid()} before acting as leader, pass its
     * token to what you lead, and register {@link Grant#onLost} to stop when it ends.
     */
    public Grant campaign(String value) throws InterruptedException {
        Grant g = session.lock(lock).acquire();
        try {
            g.setValue(value);
        } catch (RuntimeException e) {
            g.release();
            throw e;
        }
        leadership = g;
        return g;
    }

    /** The current leader as the cell knows it now (a linearizable read at the master). */
    public Optional<Leader> leader() {
        Optional<Locks.View> v = session.client().inspect(lock);
        return v.flatMap(view -> view.holders().stream().findFirst()
            .map(h -> new Leader(h.session(), h.token(), view.value())));
    }

    /** Gives up leadership (releases the lock); no-op when not leading. */
    public void resign() {
        Grant g = leadership;
        leadership = null;
        if (g != null) g.release();
    }

    /**
     * Calls {@code listener} with the leader now and after every change (empty while nobody
     * leads), until closed. Resumes without gaps across fail-overs.
     */
    public AutoCloseable observe(Consumer<Optional<Leader>> listener) {
        Optional<Locks.View> now = session.client().inspect(lock);
        long from = now.map(Locks.View::index).orElse(0L) + 1;
        Optional<Leader> first = now.flatMap(view -> view.holders().stream().findFirst().map(h -> new Leader(h.session(), h.token(), view.value())));
        session.client().scheduler.execute(() -> listener.accept(first));
        return session.client().watch(EventFilter.locks(lock), from, new EventSubscription.Listener() {
            @Override
            public void event(Event e) {
                if (lock.equals(e.lock())) listener.accept(leader());
            }

            @Override
            public void resync(long lastIndex) {
                listener.accept(leader());
            }
        });
    }

}
