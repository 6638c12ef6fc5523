package io.warden.jepsen.nemesis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * A fault done to one replica's process (the master, usually) and undone when it heals: what
 * {@link KillNemesis} and {@link PauseNemesis} share. Subclasses say how to strike, how to tell a
 * struck replica, and how to undo it.
 */
abstract class ProcessNemesis implements Nemesis {
    protected final Replicas cell;
    private final String name;
    private final String stopOp;
    private final String undone;
    private final double masterBias;

    /** {@code name} is also the start op; {@code undone} names the heal's outcome ("restarted"). */
    ProcessNemesis(Replicas cell, String name, String stopOp, String undone, double masterBias) {
        this.cell = cell;
        this.name = name;
        this.stopOp = stopOp;
        this.undone = undone;
        this.masterBias = masterBias;
    }

    protected abstract void strike(int replica);

    protected abstract boolean isStruck(int replica);

    protected abstract void undo(int replica);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String startOp() {
        return name;
    }

    @Override
    public final String stopOp() {
        return stopOp;
    }

    @Override
    public final Fault inject(RandomGenerator random) throws NemesisException {
        OptionalInt target = Targets.pick(cell, random, masterBias);
        if (target.isEmpty()) {
            throw new NemesisException("no running replica to " + name);
        }
        int i = target.getAsInt();
        boolean wasMaster = cell.master().equals(target);
        try {
            strike(i);
        } catch (IllegalStateException e) {
            throw new NemesisException("could not " + name + " replica " + i + ": " + e.getMessage(), e);
        }
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("replica", i);
        what.put("master", wasMaster);
        return Fault.of(what, () -> {
            if (!isStruck(i)) {
                return Map.of("replica", i, undone, false);
            }
            undo(i);
            return Map.of("replica", i, undone, true);
        });
    }

    @Override
    public final void healAll() {
        for (int i = 1; i <= cell.size(); i++) {
            if (isStruck(i)) {
                try {
                    undo(i);
                } catch (RuntimeException e) {
                    System.err.println("[jepsen] could not " + stopOp + " replica " + i + ": " + e);
                }
            }
        }
    }
}
