package io.warden.server.http;

import io.warden.server.cell.CellCommand;
import io.warden.server.cell.CellResult;
import io.warden.server.cell.CellState;
import io.warden.server.cell.Limits;
import io.warden.server.replica.LoadShedding;
import io.warden.server.replica.OverloadedException;
import io.warden.server.replica.ReplicaLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The REST resources' one way into the cell: writes with their exactly-once id, linearizable
 * reads, KeepAlives and event watches, each bounded in time.
 *
 * <p>Threading: the replica loop completes its futures on its own thread, which must never block
 * on a socket (a slow client would stall Paxos). Every future returned here completes on
 * {@code responses} (the HTTP server's thread pool) instead, so mapping and writing the answer
 * happen there; or, for requests started inside {@link #answeringWithoutBlocking} (their answers
 * are written without blocking), on a {@link SerialDrain}: one pooled thread at a time drains them
 * in order, so the answers one turn of the loop completes cost one thread wake-up, not one each,
 * and a turn's one or two answers are written by the loop itself at the end of its turn (no
 * wake-up at all). Never blocks; any thread may call.
 *
 * <p>Load: at most {@code maxHeldRequests} requests are held here at once (a waiting acquire or a
 * long-poll is held until answered); past half of it new work is refused, past all of it the
 * rest, with {@link OverloadedException}. KeepAlives are never counted or refused here.
 */
public final class CellGateway {
    /** How long a read, a KeepAlive or a write that does not wait for a lock may take. */
    static final long REQUEST_TIMEOUT_MILLIS = 10_000;

    private final ReplicaLoop loop;
    private final LoadShedding shedding;
    private final AtomicInteger held = new AtomicInteger();
    private final Executor responses;
    private final Deadlines deadlines;
    private final SerialDrain nonBlockingResponses;
    /** Set while a caller whose answers never block starts requests. */
    private static final ThreadLocal<Boolean> NON_BLOCKING_ANSWERS = new ThreadLocal<>();
    private final long anonymousClient;
    private long anonymousSequence;
    private volatile Limits limits;

    /**
     * @param anonymousClient the client id for writes sent without one: random per process, so
     *                        distinct from every client's own id and from other processes' ones
     */
    CellGateway(ReplicaLoop loop, Executor responses, Deadlines deadlines, long anonymousClient) {
        this.loop = loop;
        this.deadlines = deadlines;
        this.shedding = loop.shedding();
        this.responses = responses;
        this.nonBlockingResponses = new SerialDrain(responses, loop::onLoopThread);
        loop.afterEachTurn(nonBlockingResponses::flushHeld);
        this.anonymousClient = anonymousClient;
        shedding.showInUse("maxHeldRequests", held::get);
    }

    /**
     * Proposes {@code command} and completes with its result once applied (an acquire that queued:
     * once granted or timed out), or fails with TimeoutException after {@code timeoutMillis}:
     * then the outcome is unknown and a retry with the same request id learns it.
     */
    public CompletableFuture<CellResult> write(RequestId id, CellCommand command, long timeoutMillis) {
        return held(LoadShedding.isNewWork(command), () -> {
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
            return deadlines.within(decided, timeoutMillis);
        });
    }

    /**
     * A linearizable read on the master, under its lease. {@code query} runs on the replica loop's
     * thread, where an exception would stop the replica: one thrown here fails this read instead.
     */
    public <T> CompletableFuture<T> read(Function<CellState, T> query) {
        CompletableFuture<Object> raw = held(false, () -> deadlines.within(loop.read(s -> {
            try {
                return query.apply(s);
            } catch (RuntimeException e) {
                return new QueryFailed(e);
            }
        }), REQUEST_TIMEOUT_MILLIS));
        return raw.thenApply(r -> {
            if (r instanceof QueryFailed failed) throw new IllegalStateException("a read failed", failed.cause());
            @SuppressWarnings("unchecked")
            T value = (T) r;
            return value;
        });
    }

    /**
     * Renews {@code session}'s lease; fails with SessionGoneException when it has ended (the loop
     * fails only this request's future for it: see ReplicaLoop.runTask).
     */
    public CompletableFuture<ReplicaLoop.KeepAlive> keepAlive(long session) {
        return onResponseThread(deadlines.within(loop.keepAlive(session), REQUEST_TIMEOUT_MILLIS), () -> {});
    }

    /** Renews many sessions' leases at once; those that ended are listed, not failed. */
    public CompletableFuture<ReplicaLoop.KeepAlives> keepAlive(java.util.List<Long> sessions) {
        return onResponseThread(deadlines.within(loop.keepAlive(sessions), REQUEST_TIMEOUT_MILLIS), () -> {});
    }

    /** What a read's query threw, carried out of the loop's thread. */
    private record QueryFailed(RuntimeException cause) {}

    /**
     * Completes (with nothing) once an event from index {@code from} matches {@code filter}, or
     * {@code from} has been compacted away; fails with TimeoutException after {@code waitMillis}
     * (Long.MAX_VALUE: never), or with NotMasterException if this replica stops being master.
     */
    public CompletableFuture<Void> awaitEvent(long from, EventFilter filter, long waitMillis) {
        // A long wait is new work: it is refused before requests on existing sessions and locks are.
        return held(true, () -> {
            CompletableFuture<?> watch = loop.watch(from, filter, 1);
            if (waitMillis != Long.MAX_VALUE) deadlines.within(watch, waitMillis);
            return watch.<Void>thenApply(batch -> null);
        });
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

    /** Refuses and counts work past this replica's load limits. */
    public LoadShedding shedding() {
        return shedding;
    }

    /**
     * Runs {@code start}, whose requests' futures then complete on the serial drain: only for a
     * caller whose answers, and whatever else it chains on them, never block.
     */
    static <T> T answeringWithoutBlocking(Supplier<T> start) {
        NON_BLOCKING_ANSWERS.set(Boolean.TRUE);
        try {
            return start.get();
        } finally {
            NON_BLOCKING_ANSWERS.remove();
        }
    }

    /** The pool answers are written from; never the replica loop's thread. */
    public Executor responses() {
        return responses;
    }

    /**
     * Starts a request if fewer than its bound are held, and counts it held until it completes
     * (on the response pool); otherwise fails it with {@link OverloadedException}.
     */
    private <T> CompletableFuture<T> held(boolean newWork, Supplier<CompletableFuture<T>> start) {
        int bound = shedding.limits().maxHeldRequests();
        if (held.incrementAndGet() > LoadShedding.admitBelow(bound, newWork)) {
            held.decrementAndGet();
            return CompletableFuture.failedFuture(shedding.refuse("maxHeldRequests", bound, newWork));
        }
        CompletableFuture<T> started;
        try {
            started = start.get();
        } catch (RuntimeException e) {
            held.decrementAndGet();
            throw e;
        }
        // Released before the answer is written: a client's next request must find the room free.
        return onResponseThread(started, held::decrementAndGet);
    }

    private <T> CompletableFuture<T> onResponseThread(CompletableFuture<T> f, Runnable first) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenCompleteAsync((r, e) -> {
            first.run();
            if (e != null) out.completeExceptionally(e); else out.complete(r);
        }, NON_BLOCKING_ANSWERS.get() != null ? nonBlockingResponses : responses);
        return out;
    }
}
