package io.warden.jepsen.nemesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Skews replicas' monotonic clocks through the test-only clock control every replica of the
 * harness is started with ({@code --test-only-clock-control}).
 *
 * <ul>
 *   <li><b>Within the bound</b> (the default): one or more replicas run fast or slow, each at a
 *       rate within ±0.45ε of real time, so any two clocks (and the harness's) differ in rate by
 *       less than the drift bound ε the cell assumes. Warden promises every guarantee under this.</li>
 *   <li><b>Beyond the bound</b> ({@link #beyondBound}): rates from 0.4x to 2.5x and forward jumps of
 *       two leases. Outside Warden's model: agreement and fencing must hold, but lease-based
 *       promises (one master at a time, linearizable reads, a grant valid only while the cell
 *       keeps it) may break, and the checkers are expected to say so.</li>
 * </ul>
 * Healing sets the rate back to 1; offsets stay (a monotonic clock never goes back).
 */
public final class ClockNemesis implements Nemesis {
    private final Replicas cell;
    private final boolean beyondBound;
    private final Map<Integer, Long> offsets = new HashMap<>();

    public ClockNemesis(Replicas cell, boolean beyondBound) {
        this.cell = cell;
        this.beyondBound = beyondBound;
    }

    /** True if this nemesis breaks the drift bound on purpose. */
    public boolean beyondBound() {
        return beyondBound;
    }

    @Override
    public String name() {
        return "clock";
    }

    @Override
    public String startOp() {
        return "skew-clock";
    }

    @Override
    public String stopOp() {
        return "reset-clock";
    }

    @Override
    public Duration duration(RandomGenerator random) {
        long lease = cell.leaseMillis();
        return Duration.ofMillis(lease * 3 + random.nextLong(lease * 4));
    }

    @Override
    public synchronized Fault inject(RandomGenerator random) throws NemesisException {
        List<Integer> running = new ArrayList<>();
        for (int i = 1; i <= cell.size(); i++) {
            if (cell.isRunning(i)) {
                running.add(i);
            }
        }
        if (running.isEmpty()) {
            throw new NemesisException("no running replica to skew");
        }
        int count = 1 + random.nextInt(running.size());
        for (int i = running.size() - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            running.set(k, running.set(i, running.get(k)));
        }
        List<Integer> targets = List.copyOf(running.subList(0, count));
        List<Map<String, Object>> skews = new ArrayList<>();
        for (int i : targets) {
            double rate = rate(random);
            long offset = offsets.getOrDefault(i, 0L);
            if (beyondBound && random.nextInt(3) == 0) {
                offset += 2 * cell.leaseMillis();
            }
            offsets.put(i, offset);
            cell.setClock(i, rate, offset);
            Map<String, Object> skew = new LinkedHashMap<>();
            skew.put("replica", i);
            skew.put("rate", rate);
            skew.put("offsetMillis", offset);
            skews.add(skew);
        }
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("bound", beyondBound ? "beyond" : "within");
        what.put("driftBound", cell.driftBound());
        what.put("skews", skews);
        return Fault.of(what, () -> {
            reset(targets);
            return Map.of("replicas", targets, "rate", 1.0);
        });
    }

    private double rate(RandomGenerator random) {
        if (beyondBound) {
            return random.nextBoolean() ? 1.5 + random.nextDouble() : 0.4 + random.nextDouble() * 0.4;
        }
        double eps = cell.driftBound();
        double skew = eps * (0.2 + random.nextDouble() * 0.25);
        return random.nextBoolean() ? 1 + skew : 1 - skew;
    }

    private synchronized void reset(List<Integer> replicas) {
        for (int i : replicas) {
            cell.setClock(i, 1.0, offsets.getOrDefault(i, 0L));
        }
    }

    @Override
    public void healAll() {
        List<Integer> all = new ArrayList<>();
        for (int i = 1; i <= cell.size(); i++) {
            all.add(i);
        }
        try {
            reset(all);
        } catch (RuntimeException e) {
            System.err.println("[jepsen] could not reset clocks: " + e);
        }
    }
}
