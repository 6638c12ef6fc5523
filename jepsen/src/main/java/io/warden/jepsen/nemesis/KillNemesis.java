package io.warden.jepsen.nemesis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * {@code kill -9} of one replica (the master, usually), restarted from its own data directory when
 * the fault heals. Tests that acknowledged writes survive a crash (they were fsynced by a majority)
 * and that a restarted replica rejoins without breaking anything it promised before.
 */
public final class KillNemesis implements Nemesis {
    private final Replicas cell;

    public KillNemesis(Replicas cell) {
        this.cell = cell;
    }

    @Override
    public String name() {
        return "kill";
    }

    @Override
    public String startOp() {
        return "kill";
    }

    @Override
    public String stopOp() {
        return "restart";
    }

    @Override
    public Duration duration(RandomGenerator random) {
        long lease = cell.leaseMillis();
        return Duration.ofMillis(lease + random.nextLong(lease * 4));
    }

    @Override
    public Fault inject(RandomGenerator random) throws NemesisException {
        OptionalInt target = Targets.pick(cell, random, 0.6);
        if (target.isEmpty()) {
            throw new NemesisException("no running replica to kill");
        }
        int i = target.getAsInt();
        boolean wasMaster = cell.master().equals(target);
        try {
            cell.kill(i);
        } catch (IllegalStateException e) {
            throw new NemesisException("could not kill replica " + i + ": " + e.getMessage(), e);
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
                if (cell.isRunning(i)) {
                    return Map.of("replica", i, "restarted", false);
                }
                cell.restart(i);
                return Map.of("replica", i, "restarted", true);
            }
        };
    }

    @Override
    public void healAll() {
        for (int i = 1; i <= cell.size(); i++) {
            if (!cell.isRunning(i)) {
                try {
                    cell.restart(i);
                } catch (RuntimeException e) {
                    System.err.println("[jepsen] could not restart replica " + i + ": " + e);
                }
            }
        }
    }
}
