package io.warden.jepsen.checker;

import io.warden.jepsen.history.Op;
import java.util.List;

/**
 * How a history's operations ended: {@code invoke} counts invocations, {@code ok}, {@code fail}
 * and {@code info} the completions of each type, {@code pending} the invocations the history
 * ended without completing (indeterminate, like {@code info}).
 */
public record OpCounts(long invoke, long ok, long fail, long info, long pending) {

    public OpCounts {
        if (invoke < 0 || ok < 0 || fail < 0 || info < 0 || pending < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }

    /** Counts every op of {@code history}. */
    public static OpCounts of(List<Op> history) {
        long invoke = 0;
        long ok = 0;
        long fail = 0;
        long info = 0;
        for (Op op : history) {
            switch (op.type()) {
                case INVOKE -> invoke++;
                case OK -> ok++;
                case FAIL -> fail++;
                case INFO -> info++;
            }
        }
        return new OpCounts(invoke, ok, fail, info, Math.max(0, invoke - ok - fail - info));
    }
}
