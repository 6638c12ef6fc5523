package io.warden.jepsen.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/** Picks which replica a fault hits: the master more often than not, since that is where faults hurt. */
final class Targets {
    private Targets() {}

    /**
     * A running, unpaused replica: the master with probability {@code preferMaster} (if it is one),
     * else any of them at random. Empty if none is running and unpaused.
     */
    static OptionalInt pick(Replicas cell, RandomGenerator random, double preferMaster) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 1; i <= cell.size(); i++) {
            if (cell.isRunning(i) && !cell.isPaused(i)) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return OptionalInt.empty();
        }
        if (random.nextDouble() < preferMaster) {
            OptionalInt m = cell.master();
            if (m.isPresent() && candidates.contains(m.getAsInt())) {
                return m;
            }
        }
        return OptionalInt.of(candidates.get(random.nextInt(candidates.size())));
    }
}
