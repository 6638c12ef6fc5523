package io.warden.jepsen.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Records a history as client threads run: each process {@linkplain #invoke invokes} an operation
 * and then completes it with {@link #ok}, {@link #fail} or {@link #info}.
 *
 * <p>Guarantees: the history's order is the order of the calls, and times never decrease along it
 * (each op's time is read under the recorder's lock, and a clock that steps back is clamped), so a
 * completion recorded after an invoke never appears to precede it. {@link #newProcess()} never
 * returns an id in use or retired. A process has at most one operation in flight; an {@code info}
 * completion retires it, and any later call for it throws {@link IllegalStateException} (Jepsen's
 * rule: the indeterminate operation may still be running, so the process is never reused).
 *
 * <p>Threading: thread-safe; every method takes one lock and never blocks otherwise. The optional
 * sink sees every op in history order, under that lock (it should only append to a file or queue).
 */
public final class HistoryRecorder {
    private final LongSupplier nanoClock;
    private final long origin;
    private final Consumer<Op> sink;
    private final List<Op> ops = new ArrayList<>();
    private final Map<Integer, Op> pending = new HashMap<>();
    private final Set<Integer> retired = new HashSet<>();
    private int nextProcess;
    private long lastTime;

    /** A recorder on {@link System#nanoTime()}, time zero now, with no sink. */
    public HistoryRecorder() {
        this(System::nanoTime, op -> {});
    }

    /**
     * A recorder whose times are {@code nanoClock} readings minus the first reading (taken now).
     * {@code sink} receives each op as it is recorded (e.g. a {@link JsonlHistoryWriter} that
     * streams the history to disk, so a crashed run keeps it).
     */
    public HistoryRecorder(LongSupplier nanoClock, Consumer<Op> sink) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.origin = nanoClock.getAsLong();
    }

    /** A process id never used before (one more than the largest seen so far). */
    public synchronized int newProcess() {
        return nextProcess++;
    }

    /** Records an invocation without a session; see {@link #invoke(int, String, String, Object, Long)}. */
    public Op invoke(int process, String f, String key, Object value) {
        return invoke(process, f, key, value, null);
    }

    /**
     * Records that {@code process} invoked {@code f} on {@code key} with {@code value}, under
     * {@code session} (null: none). Throws {@link IllegalStateException} if the process has an
     * operation in flight or was retired by an {@code info}.
     */
    public synchronized Op invoke(int process, String f, String key, Object value, Long session) {
        if (retired.contains(process)) {
            throw new IllegalStateException("process " + process + " was retired by an info op");
        }
        if (pending.containsKey(process)) {
            throw new IllegalStateException("process " + process + " already has " + pending.get(process));
        }
        nextProcess = Math.max(nextProcess, process + 1);
        Op op = new Op(process, OpType.INVOKE, f, key, value, now(), session, null);
        pending.put(process, op);
        return append(op);
    }

    /** Completes the process's operation {@code ok}, keeping the invoke's value (e.g. a write). */
    public synchronized Op ok(int process) {
        return complete(process, OpType.OK, pendingOf(process).value(), null);
    }

    /** Completes the process's operation {@code ok} with {@code value} (a read's value, a token). */
    public synchronized Op ok(int process, Object value) {
        return complete(process, OpType.OK, value, null);
    }

    /**
     * Completes the process's operation {@code ok} with {@code value} and a note in {@code error}
     * saying how: a {@code release} that records a lock lost (rather than released) carries
     * {@code "lost: <why>"}, so checkers can tell it from a voluntary release.
     */
    public synchronized Op ok(int process, Object value, String error) {
        return complete(process, OpType.OK, value, error);
    }

    /** Completes the process's operation {@code fail}: it certainly did not take effect. */
    public synchronized Op fail(int process, String error) {
        return complete(process, OpType.FAIL, pendingOf(process).value(), error);
    }

    /** Completes the process's operation {@code info} (indeterminate) and retires the process. */
    public synchronized Op info(int process, String error) {
        Op op = complete(process, OpType.INFO, pendingOf(process).value(), error);
        retired.add(process);
        return op;
    }

    /** True if {@code process} was retired by an {@code info} completion. */
    public synchronized boolean isRetired(int process) {
        return retired.contains(process);
    }

    /** A snapshot of the history so far, in order. */
    public synchronized List<Op> history() {
        return List.copyOf(ops);
    }

    private Op complete(int process, OpType type, Object value, String error) {
        Op invoke = pendingOf(process);
        pending.remove(process);
        return append(new Op(process, type, invoke.f(), invoke.key(), value, now(), invoke.session(), error));
    }

    private Op pendingOf(int process) {
        Op invoke = pending.get(process);
        if (invoke == null) {
            throw new IllegalStateException("process " + process + " has no operation in flight");
        }
        return invoke;
    }

    private long now() {
        lastTime = Math.max(lastTime, nanoClock.getAsLong() - origin);
        return lastTime;
    }

    private Op append(Op op) {
        ops.add(op);
        sink.accept(op);
        return op;
    }
}
