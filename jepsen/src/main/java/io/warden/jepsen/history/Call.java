package io.warden.jepsen.history;

import java.util.Objects;

/**
 * One operation of a history: its invocation and its completion, found by {@link History#calls}.
 * {@code index} is the invocation's position in the history; {@code completionIndex} the
 * completion's ({@code -1} if the history ended first). A missing completion means the same as
 * {@code info}: the outcome is unknown.
 */
public record Call(Op invoke, Op completion, int index, int completionIndex) {

    public Call {
        Objects.requireNonNull(invoke, "invoke");
        if (!invoke.isInvoke()) {
            throw new IllegalArgumentException("not an invocation: " + invoke);
        }
        if (completion != null && (completion.isInvoke() || completion.process() != invoke.process())) {
            throw new IllegalArgumentException("not a completion of " + invoke + ": " + completion);
        }
    }

    /** The outcome: the completion's type, or {@link OpType#INFO} if there is none. */
    public OpType outcome() {
        return completion == null ? OpType.INFO : completion.type();
    }

    public boolean isOk() {
        return outcome() == OpType.OK;
    }

    public boolean isFail() {
        return outcome() == OpType.FAIL;
    }

    /** True if it may or may not have taken effect ({@code info}, or no completion). */
    public boolean isIndeterminate() {
        return outcome() == OpType.INFO;
    }

    public int process() {
        return invoke.process();
    }

    public String f() {
        return invoke.f();
    }

    public String key() {
        return invoke.key();
    }

    /** The session: the invoke's, else the completion's, else null. */
    public Long session() {
        if (invoke.session() != null || completion == null) {
            return invoke.session();
        }
        return completion.session();
    }

    /** When it was invoked (ns). */
    public long start() {
        return invoke.time();
    }

    /**
     * The latest time it can have taken effect: its completion's time if {@code ok} or {@code fail},
     * else {@link Long#MAX_VALUE} (an indeterminate op may take effect at any time later).
     */
    public long end() {
        return isIndeterminate() ? Long.MAX_VALUE : completion.time();
    }

    /** The completion's value (a read's result, a grant's token), or null if there is none. */
    public Object result() {
        return completion == null ? null : completion.value();
    }

    /**
     * Real-time precedence: this call completed ({@code ok} or {@code fail}) before {@code other}
     * was invoked; at equal times the history's order decides.
     */
    public boolean precedes(Call other) {
        if (isIndeterminate()) {
            return false;
        }
        long done = completion.time();
        return done < other.start() || done == other.start() && completionIndex < other.index();
    }
}
