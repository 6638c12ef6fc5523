package io.warden.jepsen.nemesis;

import java.util.List;
import java.util.OptionalInt;

/**
 * The cell as the nemeses see it: replica processes {@code 1..size()}, each bound to its own
 * loopback address, that a nemesis may kill, restart, pause, resume and skew.
 *
 * <p>Contract: every method acts only on processes the harness itself started, by their own PID.
 * Process control blocks until the signal was delivered (a kill: until the process exited); it
 * throws {@link IllegalStateException} when the replica is not in a state the action needs (killing
 * a replica that is not running). {@link #master()} asks the running replicas over HTTP with a short
 * timeout and never throws. Thread-safe.
 */
public interface Replicas {

    /** How many replicas the cell has (3 or 5). */
    int size();

    /** The loopback address replica {@code i} binds, e.g. {@code 127.0.0.12}. */
    String host(int i);

    /** Every client and peer port of the cell: firewall rules are scoped to them. */
    List<Integer> ports();

    /** The replica most running replicas name as master now, or empty if none answers. */
    OptionalInt master();

    /** True while replica {@code i}'s process runs (paused or not). */
    boolean isRunning(int i);

    /** True while replica {@code i} is stopped by SIGSTOP. */
    boolean isPaused(int i);

    /** {@code kill -9}: the process gets no chance to flush or close anything. */
    void kill(int i);

    /** Starts replica {@code i} again from its own config and data directory. */
    void restart(int i);

    /** SIGSTOP: the process keeps its sockets but runs no thread. */
    void pause(int i);

    /** SIGCONT. */
    void resume(int i);

    /**
     * Sets replica {@code i}'s monotonic clock (the test-only clock control it was started with) to
     * run at {@code rate} with a forward {@code offsetMillis}; the replica reads it within 100 ms.
     */
    void setClock(int i, double rate, long offsetMillis);

    /** The master lease D the cell runs with (pauses are made longer than it). */
    long leaseMillis();

    /** The drift bound ε the cell assumes. */
    double driftBound();
}
