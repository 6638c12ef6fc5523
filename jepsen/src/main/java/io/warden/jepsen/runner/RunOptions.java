package io.warden.jepsen.runner;

import io.warden.jepsen.workload.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One run's settings, as given on the command line (see {@link #HELP}). Immutable; validated on
 * construction.
 *
 * @param nemeses  groups of nemeses: each group strikes at once ({@code partition+clock}), groups take turns
 * @param combine  {@code mix}: a cycle sometimes adds the next group too
 * @param store    where the run's directory goes; null for the default ({@code jepsen/store/})
 * @param plantedBug  a bug planted in the workload on purpose (null: none), to watch the checkers catch it
 */
public record RunOptions(String workload, List<List<String>> nemeses, boolean combine, Duration timeLimit, int replicas,
                         int concurrency, Path store, long seed, String iptables, String serverClasspath,
                         double driftBound, boolean clockBeyondBound, long opsPerWorker, Duration nemesisQuiet,
                         boolean keepData, String plantedBug) {

    /** Every nemesis, in the order {@code mix} uses them. */
    public static final List<String> NEMESES = List.of("partition", "kill", "pause", "clock");

    public static final String HELP = String.join("\n",
            "usage: bin/warden-jepsen --workload lock|register|election|membership",
            "                         [--nemesis partition,kill,pause,clock|mix|none] [--time-limit SECONDS]",
            "                         [--replicas 3|5] [--concurrency N] [--store DIR] [--seed S] [options]",
            "",
            "Starts a real Warden cell (one process per replica on 127.0.0.11, .12, ...), drives concurrent",
            "clients through the client library while injecting faults, records every operation, checks the",
            "history, and writes a run directory under the store. Last line: valid=true|false ok=N fail=N info=N.",
            "Exit status 0 iff the history is valid.",
            "",
            "  --workload W          lock | register | election | membership (required)",
            "  --nemesis N           comma-separated kinds that take turns: partition, kill, pause, clock; join",
            "                        kinds with + to strike together (partition+clock); mix: all of them, taking",
            "                        turns, sometimes two at once; none. Default: mix",
            "  --time-limit S        seconds of load (default 60)",
            "  --replicas R          replicas in the cell, 3 or 5 (default 3)",
            "  --concurrency C       client workers (default 10)",
            "  --store DIR           where run directories go (default jepsen/store/)",
            "  --seed S              seed of the fault schedule and the workers' choices (default: random)",
            "  --iptables PATH       the iptables binary (default: iptables on PATH or in /usr/sbin, /sbin)",
            "  --drift-bound E       the cell's clock drift bound (default 0.01, the server's default)",
            "  --clock within|beyond clock skew within the drift bound (default) or beyond it: outside",
            "                        Warden's model, lease-based guarantees may then break (the checkers say so)",
            "  --nemesis-quiet S     mean seconds between faults (default 2)",
            "  --ops-per-worker N    stop a worker after N operations (default 1000000)",
            "  --server-classpath CP the replicas' class path (default: the server module's build output)",
            "  --keep-data           keep the replicas' data directories (default: delete them, keep logs)",
            "  --planted-bug B       plant a bug on purpose to watch a checker catch it: zombie-holder (lock",
            "                        workload: an unfenced resource, and holders that write on after their",
            "                        client was cut off)",
            "  --help                this text");

    public RunOptions {
        if (!Workload.names().contains(workload)) {
            throw new IllegalArgumentException("--workload must be one of " + Workload.names() + ", got " + workload);
        }
        nemeses = nemeses.stream().map(List::copyOf).toList();
        for (List<String> group : nemeses) {
            for (String n : group) {
                if (!NEMESES.contains(n)) {
                    throw new IllegalArgumentException("unknown nemesis " + n + " (" + String.join(", ", NEMESES) + ")");
                }
            }
        }
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("--time-limit must be positive");
        }
        if (replicas < 1 || replicas > 9) {
            throw new IllegalArgumentException("--replicas must be 1 to 9 (3 or 5 make sense), got " + replicas);
        }
        if (concurrency < 1 || concurrency > 200) {
            throw new IllegalArgumentException("--concurrency must be 1 to 200, got " + concurrency);
        }
        if (!(driftBound >= 0 && driftBound < 0.5)) {
            throw new IllegalArgumentException("--drift-bound must be in [0, 0.5)");
        }
        if (opsPerWorker < 1) {
            throw new IllegalArgumentException("--ops-per-worker must be positive");
        }
        if (plantedBug != null) {
            Workload.named(workload, concurrency, plantedBug); // names a bug this workload has, or throws
        }
    }

    /** Thrown for {@code --help}: print {@link #HELP}, exit 0. */
    public static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super("help");
        }
    }

    /** Parses command-line arguments; throws {@link IllegalArgumentException} naming the problem. */
    public static RunOptions parse(String... args) {
        String workload = null;
        String nemesis = "mix";
        double timeLimit = 60;
        int replicas = 3;
        int concurrency = 10;
        Path store = null;
        long seed = new java.util.Random().nextLong() & 0xFFFF_FFFFL;
        String iptables = "iptables";
        String classpath = null;
        double drift = 0.01;
        boolean beyond = false;
        long ops = 1_000_000;
        double quiet = 2;
        boolean keep = false;
        String bug = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> throw new HelpRequested();
                case "--keep-data" -> keep = true;
                default -> {
                    if (!a.startsWith("--") || i + 1 >= args.length) {
                        throw new IllegalArgumentException(a.startsWith("--") ? a + " needs a value" : "unexpected argument " + a);
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--workload" -> workload = v;
                        case "--nemesis" -> nemesis = v;
                        case "--time-limit" -> timeLimit = number(a, v);
                        case "--replicas" -> replicas = (int) integer(a, v);
                        case "--concurrency" -> concurrency = (int) integer(a, v);
                        case "--store" -> store = Path.of(v);
                        case "--seed" -> seed = integer(a, v);
                        case "--iptables" -> iptables = v;
                        case "--server-classpath" -> classpath = v;
                        case "--drift-bound" -> drift = number(a, v);
                        case "--clock" -> beyond = switch (v) {
                            case "within" -> false;
                            case "beyond" -> true;
                            default -> throw new IllegalArgumentException("--clock must be within or beyond");
                        };
                        case "--ops-per-worker" -> ops = integer(a, v);
                        case "--nemesis-quiet" -> quiet = number(a, v);
                        case "--planted-bug" -> bug = v;
                        default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
                    }
                }
            }
        }
        if (workload == null) {
            throw new IllegalArgumentException("--workload is required (" + String.join(", ", Workload.names()) + ")");
        }
        boolean combine = nemesis.equals("mix");
        return new RunOptions(workload, nemeses(nemesis), combine, Duration.ofMillis((long) (timeLimit * 1000)), replicas,
                concurrency, store, seed, iptables, classpath, drift, beyond, ops,
                Duration.ofMillis((long) (quiet * 1000)), keep, bug);
    }

    /** {@code mix}: every kind alone; {@code none}: nothing; else comma-separated groups of {@code +}-joined kinds. */
    static List<List<String>> nemeses(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("mix") || s.equals("all")) {
            return NEMESES.stream().map(List::of).toList();
        }
        if (s.equals("none") || s.isEmpty()) {
            return List.of();
        }
        Set<List<String>> groups = new LinkedHashSet<>();
        for (String part : s.split(",")) {
            Set<String> group = new LinkedHashSet<>();
            for (String kind : part.split("\\+")) {
                if (!kind.isBlank()) {
                    group.add(kind.trim());
                }
            }
            if (!group.isEmpty()) {
                groups.add(List.copyOf(group));
            }
        }
        return new ArrayList<>(groups);
    }

    /** Every nemesis named, once each, in order of first mention. */
    public List<String> nemesisKinds() {
        Set<String> kinds = new LinkedHashSet<>();
        nemeses.forEach(kinds::addAll);
        return List.copyOf(kinds);
    }

    /** The nemeses as given: {@code partition+clock,kill}, {@code mix} or {@code none}. */
    public String nemesisSpec() {
        if (nemeses.isEmpty()) {
            return "none";
        }
        String spec = String.join(",", nemeses.stream().map(g -> String.join("+", g)).toList());
        return combine ? "mix(" + spec + ")" : spec;
    }

    private static long integer(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs an integer, got " + value);
        }
    }

    private static double number(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got " + value);
        }
    }
}
