package io.warden.paxos.sim;

import io.warden.paxos.PlantedBug;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code bin/warden-sim}: runs seeds of the simulator and prints any violation with the one command
 * that replays it. Last line: {@code seeds=N violations=V ...}; exit code 0 only when V is 0.
 * With {@code --break-drift}, clocks break the drift bound: lease violations are counted apart
 * (they are the expected loss), runs go on past them, and only the invariants that do not rest on
 * clocks (agreement, applied prefix, durability, liveness) count as violations.
 */
public final class SimMain {
    private SimMain() {}

    public static void main(String[] args) {
        int replicas = 3;
        long seeds = 100;
        long firstSeed = 1;
        double minutes = 0;
        boolean breakDrift = false;
        boolean verbose = false;
        Set<PlantedBug> bugs = EnumSet.noneOf(PlantedBug.class);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--replicas" -> replicas = Integer.parseInt(args[++i]);
                case "--seeds" -> seeds = Long.parseLong(args[++i]);
                case "--seed" -> firstSeed = Long.parseLong(args[++i]);
                case "--minutes" -> { minutes = Double.parseDouble(args[++i]); if (!hasSeeds(args)) seeds = Long.MAX_VALUE; }
                case "--break-drift" -> breakDrift = true;
                case "--bug" -> bugs.add(PlantedBug.valueOf(args[++i]));
                case "--verbose", "-v" -> verbose = true;
                case "--help", "-h" -> { usage(); return; }
                default -> { System.err.println("warden-sim: unknown option " + a); usage(); System.exit(2); }
            }
        }
        long deadline = minutes > 0 ? System.nanoTime() + (long) (minutes * 60e9) : Long.MAX_VALUE;
        long started = System.nanoTime();
        long ran = 0;
        long violations = 0;
        long clockRuns = 0;
        for (long s = firstSeed; ran < seeds && System.nanoTime() < deadline; s++, ran++) {
            SimConfig config = SimConfig.of(replicas, s).withBreakDrift(breakDrift).withBugs(bugs);
            SimResult r = new Simulation(config).run();
            if (verbose || (seeds == 1 && !r.ok())) {
                System.out.println("seed " + s + ": steps=" + r.steps() + " acked=" + r.acknowledged() + " decided=" + r.maxDecidedSlot()
                    + " ended_at=" + r.endedAtMillis() + "ms");
                r.faults().forEach(f -> System.out.println("  fault " + f));
            }
            if (r.firstClockViolation() != null) {
                clockRuns++;
                if (verbose || clockRuns <= 3) {
                    System.out.println("lease guarantee lost (drift bound broken) seed=" + s + " " + r.firstClockViolation()
                        + (r.clockViolations() > 1 ? " (+" + (r.clockViolations() - 1) + " more in this run)" : ""));
                }
            }
            if (r.ok()) continue;
            violations++;
            System.out.println("VIOLATION seed=" + s + " " + r.violation());
            System.out.println("  replay: " + config.replayCommand());
        }
        double secs = (System.nanoTime() - started) / 1e9;
        StringBuilder last = new StringBuilder("seeds=" + ran + " violations=" + violations + " replicas=" + replicas);
        if (breakDrift) last.append(" break_drift=true runs_losing_lease_guarantees=").append(clockRuns);
        if (!bugs.isEmpty()) last.append(" planted_bugs=").append(bugs);
        last.append(String.format(" seconds=%.1f seeds_per_minute=%.0f", secs, ran / Math.max(secs, 1e-9) * 60));
        System.out.println(last);
        System.exit(violations == 0 ? 0 : 1);
    }

    private static boolean hasSeeds(String[] args) {
        for (String a : args) if (a.equals("--seeds")) return true;
        return false;
    }

    private static void usage() {
        System.out.println("usage: warden-sim [--replicas N] [--seeds N] [--seed S] [--minutes M] [--break-drift] [--bug NAME]... [--verbose]");
        System.out.println("  --seeds 1 --seed S replays one run exactly. Planted bugs: " + EnumSet.allOf(PlantedBug.class));
    }
}
