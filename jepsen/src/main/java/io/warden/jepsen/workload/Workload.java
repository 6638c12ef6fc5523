package io.warden.jepsen.workload;

import io.warden.jepsen.checker.Checker;
import java.util.List;
import java.util.Map;

/**
 * What clients do during a run, and which checkers judge the history they leave. A run starts
 * {@code concurrency} workers from {@link #newWorker}, each on its own thread; after the faults
 * are healed and the cell serves again it calls {@link #finalOps}.
 */
public interface Workload {

    /** Its name on the command line: {@code lock}, {@code register}, {@code election}, {@code membership}. */
    String name();

    /** Worker number {@code index} (from 0). */
    Worker newWorker(WorkloadContext ctx, int index);

    /** Operations after the run, against the healed cell (e.g. a final read of every register). */
    default void finalOps(WorkloadContext ctx) {}

    /** The checkers of this workload's history. */
    List<Checker> checkers(ClientSettings settings);

    /** Workload-specific numbers for the results (e.g. fenced writes refused). */
    default Map<String, Object> stats() {
        return Map.of();
    }

    /** The workload named {@code name}, sized for {@code concurrency} workers. */
    static Workload named(String name, int concurrency) {
        return named(name, concurrency, null);
    }

    /**
     * As {@link #named(String, int)}, with a bug planted on purpose to show the checkers catch it
     * ({@code null}: none). Planted bugs: {@code zombie-holder} (lock: an unfenced resource, and
     * holders that go on writing after their client stopped; see {@link LockWorkload}).
     */
    static Workload named(String name, int concurrency, String plantedBug) {
        if (plantedBug != null && !(plantedBug.equals("zombie-holder") && name.equals("lock"))) {
            throw new IllegalArgumentException("no planted bug " + plantedBug + " in the " + name
                    + " workload (lock: zombie-holder)");
        }
        return switch (name) {
            case "lock" -> new LockWorkload(Math.max(1, Math.min(3, concurrency / 3)), plantedBug != null);
            case "register" -> new RegisterWorkload(Math.max(1, Math.min(3, concurrency / 3)));
            case "election" -> new ElectionWorkload(concurrency >= 6 ? 2 : 1);
            case "membership" -> new MembershipWorkload(concurrency >= 6 ? 2 : 1);
            default -> throw new IllegalArgumentException("unknown workload " + name
                    + " (lock, register, election, membership)");
        };
    }

    /** The workloads there are. */
    static List<String> names() {
        return List.of("lock", "register", "election", "membership");
    }
}
