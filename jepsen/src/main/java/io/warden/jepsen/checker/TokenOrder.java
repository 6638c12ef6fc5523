package io.warden.jepsen.checker;

import io.warden.jepsen.history.Call;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Real-time order of fencing tokens: if call A completed before call B was invoked, a correct
 * system gives B a token at least A's (tokens come from one counter that only grows). Pure.
 */
final class TokenOrder {
    private TokenOrder() {}

    /** A pair that breaks the order: {@code earlier} completed before {@code later} was invoked. */
    record Regression(Call earlier, Call later) {}

    /**
     * For each call, the highest-token call among those that precede it, when that token is
     * higher than its own. {@code calls} must all be {@code ok}. O(n log n).
     */
    static List<Regression> regressions(List<Call> calls, ToLongFunction<Call> token) {
        List<Call> byCompletion = new ArrayList<>(calls);
        byCompletion.sort(Comparator.comparingLong((Call c) -> c.completion().time())
                .thenComparingInt(Call::completionIndex));
        List<Call> byInvoke = new ArrayList<>(calls);
        byInvoke.sort(Comparator.comparingLong(Call::start).thenComparingInt(Call::index));
        List<Regression> found = new ArrayList<>();
        Call highest = null;
        int done = 0;
        for (Call later : byInvoke) {
            while (done < byCompletion.size() && byCompletion.get(done).precedes(later)) {
                Call c = byCompletion.get(done++);
                if (highest == null || token.applyAsLong(c) > token.applyAsLong(highest)) {
                    highest = c;
                }
            }
            if (highest != null && token.applyAsLong(highest) > token.applyAsLong(later)) {
                found.add(new Regression(highest, later));
            }
        }
        return found;
    }

    /** The call's result as a token; throws {@link IllegalArgumentException} if not an integer. */
    static long resultToken(Call call) {
        if (call.result() instanceof Long token) {
            return token;
        }
        throw new IllegalArgumentException("expected a fencing token (integer) as the result of " + call.completion());
    }

    /** The call's invoke value as a token; throws {@link IllegalArgumentException} if not an integer. */
    static long invokeToken(Call call) {
        if (call.invoke().value() instanceof Long token) {
            return token;
        }
        throw new IllegalArgumentException("expected a fencing token (integer) as the value of " + call.invoke());
    }
}
