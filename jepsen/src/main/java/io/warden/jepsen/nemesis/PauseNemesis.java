package io.warden.jepsen.nemesis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * SIGSTOP of one replica (the master, usually) for longer than the master lease, then SIGCONT: the
 * process pause of Kleppmann's argument. A paused master must find its lease gone when it wakes
 * and serve nothing from before; its peers must have elected another in the meantime.
 */
public final class PauseNemesis implements Nemesis {
    private final Replicas cell;

    public PauseNemesis(Replicas cell) {
        this.cell = cell;
    }

    @Override
    public String name() {
        return "pause";
    }

    @Override
    public String startOp() {
        return "pause";
    }

    @Override
    public String stopOp() {
        return "resume";
    }

    /** 1.5 to 4 leases: always past the lease, so the paused master is deposed. */
    @Override
    public Duration duration(RandomGenerator random) {
        long lease = cell.leaseMillis();
        return Duration.ofMillis(lease * 3 / 2 + random.nextLong(lease * 5 / 2));
    }

    @Override
    public Fault inject(RandomGenerator random) throws NemesisException {
        OptionalInt target = Targets.pick(cell, random, 0.7);
        if (target.isEmpty()) {
            throw new NemesisException("no running replica to pause");
        }
        int i = target.getAsInt();
        boolean wasMaster = cell.master().equals(target);
        try {
            cell.pause(i);
        } catch (IllegalStateException e) {
            throw new NemesisException("could not pause replica " + i + ": " + e.getMessage(), e);
        }
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("replica", i);
        what.put("master", wasMaster);
        return new Fault() {
            @Override
            public Map<String, Object> description() {
                return what;
            }

            @Override
            public Map<String, Object> heal() {
                if (!cell.isRunning(i) || !cell.isPaused(i)) {
                    return Map.of("replica", i, "resumed", false);
                }
                cell.resume(i);
                return Map.of("replica", i, "resumed", true);
            }
        };
    }

    @Override
    public void healAll() {
        for (int i = 1; i <= cell.size(); i++) {
            if (cell.isRunning(i) && cell.isPaused(i)) {
                try {
                    cell.resume(i);
                } catch (RuntimeException e) {
                    System.err.println("[jepsen] could not resume replica " + i + ": " + e);
                }
            }
        }
    }
}
