package io.warden.jepsen.checker;

import io.warden.jepsen.history.Call;
import io.warden.jepsen.history.Functions;
import io.warden.jepsen.history.History;
import io.warden.jepsen.history.Op;
import io.warden.jepsen.history.OpType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The definition of linearizability, checked literally for one register: some subset of the
 * indeterminate ops plus every ok op, in some order that respects real time, replays on a
 * sequential register with every ok read and cas matching. Exponential; for tiny histories only,
 * as the reference the real checker is compared with.
 */
final class BruteForceLinearizability {
    private BruteForceLinearizability() {}

    static boolean isLinearizable(List<Op> history) {
        List<Call> calls = History.calls(history).stream()
                .filter(c -> !c.isFail() && !(c.isIndeterminate() && c.f().equals(Functions.READ)))
                .toList();
        return search(calls, new boolean[calls.size()], null);
    }

    private static boolean search(List<Call> calls, boolean[] placed, Object state) {
        boolean allOkPlaced = true;
        for (int i = 0; i < calls.size(); i++) {
            allOkPlaced &= placed[i] || !calls.get(i).isOk();
        }
        if (allOkPlaced) {
            return true; // the indeterminate ops left out never happened
        }
        for (int i = 0; i < calls.size(); i++) {
            if (placed[i] || !minimal(calls, placed, i)) {
                continue;
            }
            Call c = calls.get(i);
            Object after = step(c, state);
            if (after == REFUSED) {
                continue;
            }
            placed[i] = true;
            boolean found = search(calls, placed, after);
            placed[i] = false;
            if (found) {
                return true;
            }
        }
        return false;
    }

    /** No unplaced ok op completed before call i was invoked. */
    private static boolean minimal(List<Call> calls, boolean[] placed, int i) {
        for (int j = 0; j < calls.size(); j++) {
            if (!placed[j] && j != i && calls.get(j).precedes(calls.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static final Object REFUSED = new Object();

    private static Object step(Call c, Object state) {
        switch (c.f()) {
            case Functions.READ:
                return Objects.equals(c.result(), state) ? state : REFUSED;
            case Functions.WRITE:
                return c.invoke().value();
            default:
                List<?> cas = (List<?>) c.invoke().value();
                return Objects.equals(cas.get(0), state) ? cas.get(1) : REFUSED;
        }
    }

    /** Random tiny histories: ops with random intervals and random (often impossible) results. */
    static List<Op> randomHistory(SplittableRandom random, int size) {
        List<Op> events = new ArrayList<>();
        for (int p = 0; p < size; p++) {
            long start = random.nextInt(30);
            long end = start + 1 + random.nextInt(10);
            String f = switch (random.nextInt(3)) {
                case 0 -> Functions.READ;
                case 1 -> Functions.WRITE;
                default -> Functions.CAS;
            };
            Object value = switch (f) {
                case Functions.READ -> null;
                case Functions.WRITE -> (long) random.nextInt(3);
                default -> Arrays.asList(smallValue(random), (long) random.nextInt(3));
            };
            int outcome = random.nextInt(10); // 0-5 ok, 6-7 info, 8-9 fail
            events.add(new Op(p, OpType.INVOKE, f, "x", value, start * 2));
            Object result = f.equals(Functions.READ) ? smallValue(random) : value;
            OpType type = outcome < 6 ? OpType.OK
                    : outcome < 8 ? OpType.INFO : OpType.FAIL;
            events.add(new Op(p, type, f, "x", result, end * 2 + 1));
        }
        events.sort(Comparator.comparingLong(Op::time));
        return events;
    }

    private static Object smallValue(SplittableRandom random) {
        int v = random.nextInt(4);
        return v == 3 ? null : (Object) (long) v;
    }
}
