package io.warden.jepsen.nemesis;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * SIGSTOP of one replica (the master, usually) for longer than the master lease, then SIGCONT: the
 * process pause of Kleppmann's argument. A paused master must find its lease gone when it wakes
 * and serve nothing from before; its peers must have elected another in the meantime.
 */
public final class PauseNemesis extends ProcessNemesis {

    public PauseNemesis(Replicas cell) {
        super(cell, "pause", "resume", "resumed", 0.7);
    }

    /** 1.5 to 4 leases: always past the lease, so the paused master is deposed. */
    @Override
    public Duration duration(RandomGenerator random) {
        long lease = cell.leaseMillis();
        return Duration.ofMillis(lease * 3 / 2 + random.nextLong(lease * 5 / 2));
    }

    @Override
    protected void strike(int replica) {
        cell.pause(replica);
    }

    @Override
    protected boolean isStruck(int replica) {
        return cell.isRunning(replica) && cell.isPaused(replica);
    }

    @Override
    protected void undo(int replica) {
        cell.resume(replica);
    }
}
