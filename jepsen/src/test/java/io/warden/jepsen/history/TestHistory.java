package io.warden.jepsen.history;

import java.util.List;

/**
 * Builds hand-made histories for tests, through a {@link HistoryRecorder} on a manual clock: each
 * op happens one nanosecond after the previous, unless {@link #at} sets the time of the next one.
 */
public final class TestHistory {
    private long now = -1;
    private final HistoryRecorder recorder = new HistoryRecorder(() -> Math.max(now, 0), op -> {});

    /** The next op happens at {@code time} (which must not go back). */
    public TestHistory at(long time) {
        now = time - 1;
        return this;
    }

    public TestHistory invoke(int process, String f, String key, Object value) {
        tick();
        recorder.invoke(process, f, key, value);
        return this;
    }

    public TestHistory invoke(int process, String f, String key, Object value, long session) {
        tick();
        recorder.invoke(process, f, key, value, session);
        return this;
    }

    public TestHistory ok(int process) {
        tick();
        recorder.ok(process);
        return this;
    }

    public TestHistory ok(int process, Object value) {
        tick();
        recorder.ok(process, value);
        return this;
    }

    /** An ok completion with a note, e.g. a release recording a loss. */
    public TestHistory ok(int process, Object value, String note) {
        tick();
        recorder.ok(process, value, note);
        return this;
    }

    public TestHistory fail(int process) {
        tick();
        recorder.fail(process, "refused");
        return this;
    }

    public TestHistory info(int process) {
        tick();
        recorder.info(process, "timeout");
        return this;
    }

    /** A whole ok op: invoke at {@code from}, complete with {@code result} at {@code to}. */
    public TestHistory okOp(int process, String f, String key, Object value, Long session, long from, long to,
                            Object result) {
        at(from);
        if (session == null) {
            invoke(process, f, key, value);
        } else {
            invoke(process, f, key, value, session);
        }
        return at(to).ok(process, result);
    }

    public List<Op> ops() {
        return recorder.history();
    }

    private void tick() {
        now++;
    }
}
