package io.warden.jepsen.checker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Wing &amp; Gong's linearizability search with Lowe's memo ("Testing for linearizability", 2017),
 * as in Porcupine, over one key's register ops.
 *
 * <p>The history is a list of call and return events in time order. The search repeatedly takes a
 * call that comes before the first return in the list and that the model allows, "lifts" it
 * (removes its call and return) and pushes it on a stack; reaching a return first means the op it
 * closes had to take effect by then and was not placed, so it backtracks. Each configuration (set
 * of linearized ops, register state) is explored at most once: Lowe's memo, which makes the search
 * polynomial on most real histories. Indeterminate ops have no return event, so they never force a
 * backtrack: they may take effect at any point after their call, or never; the search succeeds once
 * every {@code ok} op is placed.
 *
 * <p>One more pruning: an ok read that may be placed now and matches the state is placed at once,
 * with no alternative tried, because reads commute: any linearization from here that places the
 * read later stays valid with the read moved here (every op that must precede it is placed).
 *
 * <p>Single-use, single-threaded.
 */
final class LinearizationSearch {
    private static final int END = -1;
    private static final int KEEP_TAIL = 8;

    private final List<RegisterOp> ops;
    private final long budget;
    // The event list: entry 0 is the head sentinel; next/prev form a doubly linked list that lift
    // and unlift splice in LIFO order ("dancing links").
    private final int[] next;
    private final int[] prev;
    private final int[] opOf;
    private final boolean[] isCall;
    private final int[] returnOf;
    private final long[] zobrist1;
    private final long[] zobrist2;
    private final ConfigurationMemo memo = new ConfigurationMemo();
    private final int[] stackEntry;
    private final int[] stackState;
    private final boolean[] stackForced;
    private int depth;
    private int state = RegisterModel.NIL;
    private long hash1;
    private long hash2;
    private int okRemaining;
    private int bestDepth = -1;
    private SearchOutcome.Stuck bestStuck;

    LinearizationSearch(List<RegisterOp> ops, long budget) {
        this.ops = ops;
        this.budget = budget;
        int n = ops.size();
        okRemaining = (int) ops.stream().filter(RegisterOp::required).count();
        int entries = 1 + n + okRemaining;
        next = new int[entries];
        prev = new int[entries];
        opOf = new int[entries];
        isCall = new boolean[entries];
        returnOf = new int[entries];
        zobrist1 = new long[n];
        zobrist2 = new long[n];
        stackEntry = new int[n];
        stackState = new int[n];
        stackForced = new boolean[n];
        SplittableRandom random = new SplittableRandom(0x5EED_0F_1CEL);
        for (int i = 0; i < n; i++) {
            zobrist1[i] = random.nextLong();
            zobrist2[i] = random.nextLong();
        }
        buildEventList();
    }

    /** Runs the search once. */
    SearchOutcome run() {
        boolean arrived = true; // at a configuration not yet looked at
        int entry = next[0];
        while (okRemaining > 0) {
            if (memo.size() > budget) {
                return SearchOutcome.unknown(memo.size());
            }
            if (arrived) {
                arrived = false;
                int read = matchingRead();
                if (read != END) {
                    if (tryPlace(read, true)) {
                        arrived = true;
                        continue;
                    }
                    entry = END; // explored before, and it failed: so does this configuration
                } else {
                    entry = next[0];
                }
            }
            if (entry != END && isCall[entry]) {
                if (tryPlace(entry, false)) {
                    arrived = true;
                } else {
                    entry = next[entry];
                }
                continue;
            }
            noteStuck(entry);
            entry = backtrack();
            if (entry == END) {
                return SearchOutcome.invalid(memo.size(), bestStuck);
            }
            entry = next[entry];
        }
        return SearchOutcome.valid(memo.size());
    }

    /** Places the call if the model allows it and the configuration it leads to is new. */
    private boolean tryPlace(int entry, boolean forced) {
        int op = opOf[entry];
        int after = RegisterModel.step(state, ops.get(op));
        if (after == RegisterModel.REFUSED || !memo.add(hash1 ^ zobrist1[op], hash2 ^ zobrist2[op], after)) {
            return false;
        }
        stackEntry[depth] = entry;
        stackForced[depth] = forced;
        stackState[depth++] = state;
        state = after;
        hash1 ^= zobrist1[op];
        hash2 ^= zobrist2[op];
        okRemaining -= ops.get(op).required() ? 1 : 0;
        lift(entry);
        return true;
    }

    /** Undoes placements up to the last one that had alternatives; returns its entry, or END. */
    private int backtrack() {
        while (depth > 0) {
            int entry = stackEntry[--depth];
            int op = opOf[entry];
            state = stackState[depth];
            hash1 ^= zobrist1[op];
            hash2 ^= zobrist2[op];
            okRemaining += ops.get(op).required() ? 1 : 0;
            unlift(entry);
            if (!stackForced[depth]) {
                return entry;
            }
        }
        return END;
    }

    /** A callable ok read that matches the state, or END. */
    private int matchingRead() {
        for (int e = next[0]; e != END && isCall[e]; e = next[e]) {
            RegisterOp op = ops.get(opOf[e]);
            if (op.kind() == RegisterOp.Kind.READ && op.expected() == state) {
                return e;
            }
        }
        return END;
    }

    /** Remembers the deepest point reached: the op whose return came first there, and the path. */
    private void noteStuck(int entry) {
        if (depth <= bestDepth || entry == END || isCall[entry]) {
            return;
        }
        bestDepth = depth;
        List<RegisterOp> tail = new ArrayList<>();
        for (int i = Math.max(0, depth - KEEP_TAIL); i < depth; i++) {
            tail.add(ops.get(opOf[stackEntry[i]]));
        }
        bestStuck = new SearchOutcome.Stuck(ops.get(opOf[entry]), state, depth, tail);
    }

    private void buildEventList() {
        List<long[]> events = new ArrayList<>(); // {time, history index, op, isCall}
        for (int i = 0; i < ops.size(); i++) {
            RegisterOp op = ops.get(i);
            events.add(new long[] {op.call().start(), op.call().index(), i, 1});
            if (op.required()) {
                events.add(new long[] {op.call().end(), op.call().completionIndex(), i, 0});
            }
        }
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int[] callEntryOf = new int[ops.size()];
        for (int k = 0; k < events.size(); k++) {
            int entry = k + 1;
            long[] e = events.get(k);
            opOf[entry] = (int) e[2];
            prev[entry] = entry - 1;
            next[entry - 1] = entry;
            if (e[3] == 1) {
                isCall[entry] = true;
                callEntryOf[opOf[entry]] = entry;
                returnOf[entry] = END; // until (unless) its return is seen
            } else {
                returnOf[callEntryOf[opOf[entry]]] = entry;
            }
        }
        next[events.size()] = END;
    }

    private void lift(int call) {
        unlink(call);
        if (returnOf[call] != END) {
            unlink(returnOf[call]);
        }
    }

    private void unlift(int call) {
        if (returnOf[call] != END) {
            relink(returnOf[call]);
        }
        relink(call);
    }

    private void unlink(int e) {
        next[prev[e]] = next[e];
        if (next[e] != END) {
            prev[next[e]] = prev[e];
        }
    }

    private void relink(int e) {
        next[prev[e]] = e;
        if (next[e] != END) {
            prev[next[e]] = e;
        }
    }
}
