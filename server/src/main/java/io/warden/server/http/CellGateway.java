package io.warden.server.http;

import io.warden.server.cell.CellCommand;
import io.warden.server.cell.CellResult;
import io.warden.server.cell.CellState;
import io.warden.server.cell.Limits;
import io.warden.server.replica.ReplicaLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The REST resources' one way into the cell: writes with their exactly-once id, linearizable
 * reads, KeepAlives and event watches, each bounded in time.
 *
 * <p>Threading: the replica loop completes its futures on its own thread, which must never write
 * to a socket (a slow client would stall Paxos). Every future returned here completes on
 * {@code responses} (the HTTP server's thread pool) instead, so mapping and writing the answer
 * happen there. Never blocks; any thread may call.
 */
public final class CellGateway {
    /** How long a read, a KeepAlive or a write that does not wait for a lock may take. */
    static final long REQUEST_TIMEOUT_MILLIS = 10_000;

    private final ReplicaLoop loop;
    private final Executor responses;
    private final long anonymousClient;
    private long anonymousSequence;
    private volatile Limits limits;

    /**
     * @param anonymousClient the client id for writes sent without one: random per process and
     *                        distinct from every other user of the loop (e.g. KvResource's)
     */
    public CellGateway(ReplicaLoop loop, Executor responses, long anonymousClient) {
        this.loop = loop;
        this.responses = responses;
        this.anonymousClient = anonymousClient;
    }

    /**
     * Proposes {@code command} and completes with its result once applied (an acquire that queued:
     * once granted or timed out), or fails with TimeoutException after {@code timeoutMillis}:
     * then the outcome is unknown and a retry with the same request id learns it.
     */
    public CompletableFuture<CellResult> write(RequestId id, CellCommand command, long timeoutMillis) {
        CompletableFuture<CellResult> decided;
        if (id.isAnonymous()) {
            // Sequences of one client must reach the loop in order: the exactly-once table refuses
            // one older than the newest outcomes it keeps, so assigning and enqueueing is atomic.
            synchronized (this) {
                decided = loop.submit(anonymousClient, ++anonymousSequence, command);
            }
        } else {
            decided = loop.submit(id.clientId(), id.sequence(), command);
        }
        return onResponseThread(decided.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS));
    }

    /**
     * A linearizable read on the master, under its lease. {@code query} runs on the replica loop's
     * thread, where an exception would stop the replica: one thrown here fails this read instead.
     */
    public <T> CompletableFuture<T> read(Function<CellState, T> query) {
        CompletableFuture<Object> raw = loop.read(s -> {
            try {
                return query.apply(s);
            } catch (RuntimeException e) {
                return new QueryFailed(e);
            }
        });
        return onResponseThread(raw.orTimeout(REQUEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).thenApply(r -> {
            if (r instanceof QueryFailed failed) throw new IllegalStateException("a read failed", failed.cause());
            @SuppressWarnings("unchecked")
            T value = (T) r;
            return value;
        });
    }

    /**
     * Renews {@code session}'s lease; fails with SessionGoneException when it has ended. The session
     * is first looked up by a read: the loop's KeepAlive throws on its own thread for an unknown
     * session (which would stop the replica), so only sessions the state still holds are passed on.
     */
    public CompletableFuture<ReplicaLoop.KeepAlive> keepAlive(long session) {
        return onResponseThread(loop.keepAlive(session).orTimeout(REQUEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
    }

    /** Renews many sessions' leases at once; those that ended are listed, not failed. */
    public CompletableFuture<ReplicaLoop.KeepAlives> keepAlive(java.util.List<Long> sessions) {
        return onResponseThread(loop.keepAlive(sessions).orTimeout(REQUEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
    }

    /** What a read's query threw, carried out of the loop's thread. */
    private record QueryFailed(RuntimeException cause) {}

    /**
     * Completes (with nothing) once an event from index {@code from} matches {@code filter}, or
     * {@code from} has been compacted away; fails with TimeoutException after {@code waitMillis}
     * (Long.MAX_VALUE: never), or with NotMasterException if this replica stops being master.
     */
    public CompletableFuture<Void> awaitEvent(long from, EventFilter filter, long waitMillis) {
        CompletableFuture<?> watch = loop.watch(from, filter, 1);
        if (waitMillis != Long.MAX_VALUE) watch.orTimeout(waitMillis, TimeUnit.MILLISECONDS);
        return onResponseThread(watch.<Void>thenApply(batch -> null));
    }

    /** The cell's bounds (identical on every replica and fixed for the process: read once, then cached). */
    public CompletableFuture<Limits> limits() {
        Limits known = limits;
        if (known != null) return CompletableFuture.completedFuture(known);
        return read(CellState::limits).thenApply(l -> {
            limits = l;
            return l;
        });
    }

    /** The pool answers are written from; never the replica loop's thread. */
    public Executor responses() {
        return responses;
    }

    private <T> CompletableFuture<T> onResponseThread(CompletableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenCompleteAsync((r, e) -> {
            if (e != null) out.completeExceptionally(e); else out.complete(r);
        }, responses);
        return out;
    }
}
