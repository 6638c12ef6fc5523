package io.warden.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cleanup of a command that holds something at the cell (a session, a lock, a membership, a
 * child process), run exactly once: when the command ends ({@link #close}), or when warden itself
 * gets SIGTERM or SIGINT (a shutdown hook; the JVM then exits 143 or 130). Steps run in the reverse
 * order of registration (stop the child before releasing its lock, release before closing the
 * session), each on its own: one failing does not skip the next (the session's timeout frees
 * whatever a failed step could not).
 *
 * <p>Threading: {@link #onEnd} and {@link #close} may be called from any thread.
 */
final class Lifetime implements AutoCloseable {
    private static volatile boolean signalled;

    private final Deque<Runnable> steps = new ArrayDeque<>();
    private final AtomicBoolean done = new AtomicBoolean();
    private final Thread hook = new Thread(() -> {
        signalled = true;
        cleanUp();
    }, "warden-shutdown");

    Lifetime() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Whether warden is stopping because it was signalled: what fails meanwhile (a wait cut short by
     * the session's close) is the shutdown itself, not an error to report.
     */
    static boolean signalled() {
        return signalled;
    }

    /** Adds a step, run before every step added earlier. */
    synchronized void onEnd(Runnable step) {
        steps.push(step);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return; // shutting down: the hook runs the steps
        }
        cleanUp();
    }

    private void cleanUp() {
        if (!done.compareAndSet(false, true)) return;
        while (true) {
            Runnable step;
            synchronized (this) {
                step = steps.poll();
            }
            if (step == null) return;
            try {
                step.run();
            } catch (RuntimeException e) {
                // the session's timeout frees whatever this step could not
            }
        }
    }
}
