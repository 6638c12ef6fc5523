package io.warden.jepsen.report;

import io.warden.jepsen.history.Op;
import io.warden.jepsen.history.OpType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the fault windows out of a history: the nemesis records each fault as a start op and a
 * stop op that carry the same {@code "fault"} number in their values (see the nemesis package).
 * Works on any history, including one read back from {@code history.jsonl}.
 */
public final class FaultWindows {
    /** The nemesis ops' {@code f}s: the start op of each kind, and the op that heals it. */
    static final Map<String, String> START_KINDS = Map.of(
            "start-partition", "partition", "kill", "kill", "pause", "pause", "skew-clock", "clock");
    static final Set<String> STOPS = Set.of("stop-partition", "restart", "resume", "reset-clock");

    private FaultWindows() {}

    /** True if {@code op} is a nemesis op (start or stop of a fault). */
    public static boolean isNemesisOp(Op op) {
        return START_KINDS.containsKey(op.f()) || STOPS.contains(op.f());
    }

    /** The windows of every fault that was injected ({@code ok} start op), in order of start. */
    public static List<FaultWindow> of(List<Op> history) {
        Map<Long, Long> startInvoke = new HashMap<>();
        Map<Long, Op> started = new HashMap<>();
        Map<Long, Long> stopped = new HashMap<>();
        long end = history.isEmpty() ? 0 : history.get(history.size() - 1).time();
        for (Op op : history) {
            Long fault = faultOf(op);
            if (fault == null) {
                continue;
            }
            if (START_KINDS.containsKey(op.f())) {
                if (op.isInvoke()) {
                    startInvoke.put(fault, op.time());
                } else if (op.type() == OpType.OK) {
                    started.put(fault, op);
                }
            } else if (STOPS.contains(op.f()) && !op.isInvoke()) {
                stopped.put(fault, op.time());
            }
        }
        List<FaultWindow> windows = new ArrayList<>();
        started.forEach((fault, op) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> description = op.value() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            long from = startInvoke.getOrDefault(fault, op.time());
            windows.add(new FaultWindow(fault, START_KINDS.get(op.f()), from,
                    Math.max(from, stopped.getOrDefault(fault, end)), description));
        });
        windows.sort(Comparator.comparingLong(FaultWindow::startNanos).thenComparingLong(FaultWindow::fault));
        return windows;
    }

    private static Long faultOf(Op op) {
        if (!isNemesisOp(op) || !(op.value() instanceof Map<?, ?> m) || !(m.get("fault") instanceof Long id)) {
            return null;
        }
        return id;
    }
}
