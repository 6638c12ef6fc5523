package io.warden.jepsen.nemesis;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * {@code kill -9} of one replica (the master, usually), restarted from its own data directory when
 * the fault heals. Tests that acknowledged writes survive a crash (they were fsynced by a majority)
 * and that a restarted replica rejoins without breaking anything it promised before.
 */
public final class KillNemesis extends ProcessNemesis {

    public KillNemesis(Replicas cell) {
        super(cell, "kill", "restart", "restarted", 0.6);
    }

    @Override
    public Duration duration(RandomGenerator random) {
        long lease = cell.leaseMillis();
        return Duration.ofMillis(lease + random.nextLong(lease * 4));
    }

    @Override
    protected void strike(int replica) {
        cell.kill(replica);
    }

    @Override
    protected boolean isStruck(int replica) {
        return !cell.isRunning(replica);
    }

    @Override
    protected void undo(int replica) {
        cell.restart(replica);
    }
}
