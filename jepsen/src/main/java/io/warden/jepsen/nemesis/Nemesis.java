package io.warden.jepsen.nemesis;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A kind of fault: partition, kill, pause or clock. A {@link NemesisSchedule} asks it for one
 * {@link Fault} at a time, keeps it for {@link #duration}, then heals it.
 *
 * <p>Contract: {@link #inject} blocks until the fault is in place, or throws
 * {@link NemesisException} having changed nothing it did not undo. A nemesis that cannot work on
 * this machine says why in {@link #unavailable()}; the schedule then reports it skipped and never
 * pretends to inject it. Called from the schedule's one thread.
 */
public interface Nemesis {

    /** Its name on the command line: {@code partition}, {@code kill}, {@code pause}, {@code clock}. */
    String name();

    /** The history's {@code f} of the op that starts a fault, e.g. {@code start-partition}. */
    String startOp();

    /** The history's {@code f} of the op that heals it, e.g. {@code stop-partition}. */
    String stopOp();

    /** Why this nemesis cannot run here (checked once, before the run), or empty if it can. */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    /** How long to keep the next fault in place. */
    Duration duration(RandomGenerator random);

    /** Injects one fault now. */
    Fault inject(RandomGenerator random) throws NemesisException;

    /** Undoes anything this nemesis may have left behind (end of run; idempotent, never throws). */
    default void healAll() {}
}
