package io.warden.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A command run as a child process while something is held (a lock, leadership, a membership),
 * and stopped the moment it is not: the gap Curator leaves open (apache/curator#985) and that let a
 * {@code consul lock} child run on for minutes after a partition (hashicorp/consul#1843).
 *
 * <p>The child inherits warden's stdin, stdout and stderr, and gets {@code env} added to warden's
 * environment. Stopping it sends SIGTERM to it and to every process it started, then SIGKILL to
 * those still alive after the kill grace. When warden itself gets SIGTERM or SIGINT, its
 * {@link Lifetime} calls {@link #stop} the same way before it closes the session. If warden is
 * killed with SIGKILL nothing can stop the child: the session expires at the cell after its
 * timeout, and the child's fencing token is refused once someone else is granted the lock.
 *
 * <p>Threading: {@link #run} blocks its caller until the child ends; {@link #lost} and {@link #stop}
 * may be called from any thread, at any time ({@link #lost} before the start: it is never started).
 */
final class GuardedCommand {
    private final List<String> argv;
    private final Map<String, String> env;
    private final Duration killGrace;
    private final PrintWriter err;
    private final Object guard = new Object();
    private Process process;
    private boolean finished;
    private String lostBecause;

    GuardedCommand(List<String> argv, Map<String, String> env, Duration killGrace, PrintWriter err) {
        this.argv = List.copyOf(argv);
        this.env = Map.copyOf(env);
        this.killGrace = killGrace;
        this.err = err;
    }

    /**
     * Starts the command and waits for it. Returns its exit code, or {@link ExitCodes#LOCK_LOST} if
     * {@link #lost} was called before it ended (then it was stopped, or never started).
     */
    int run() throws IOException, InterruptedException {
        try {
            Process p = start();
            if (p == null) return ExitCodes.LOCK_LOST;
            int code = p.waitFor();
            synchronized (guard) {
                finished = true;
                return lostBecause != null ? ExitCodes.LOCK_LOST : code;
            }
        } finally {
            synchronized (guard) {
                finished = true;
            }
            stop(); // interrupted while waiting: the child must not outlive this call
        }
    }

    /** The held thing is gone: stop the command (at once if it runs; never start it if not yet). */
    void lost(String why) {
        Process p;
        synchronized (guard) {
            if (finished || lostBecause != null) return;
            lostBecause = why;
            p = process;
        }
        err.println("warden: " + why + "; stopping the command (SIGTERM, then SIGKILL after " + Durations.format(killGrace.toMillis()) + ")");
        err.flush();
        if (p != null) terminate(p);
    }

    private Process start() throws IOException {
        synchronized (guard) {
            if (lostBecause != null) return null;
            ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
            pb.environment().putAll(env);
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new IOException("cannot run '" + argv.get(0) + "': " + e.getMessage(), e);
            }
            return process;
        }
    }

    /** SIGTERM to the child and its descendants now; SIGKILL to whoever is left after the grace. */
    private void terminate(Process p) {
        List<ProcessHandle> tree = tree(p);
        for (ProcessHandle h : tree) h.destroy();
        CompletableFuture.delayedExecutor(killGrace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            for (ProcessHandle h : tree) {
                if (h.isAlive()) h.destroyForcibly();
            }
        });
    }

    /** Stops the child if it still runs and waits for it (at most the grace, then SIGKILL). Idempotent. */
    void stop() {
        Process p;
        synchronized (guard) {
            p = process;
        }
        if (p == null || !p.isAlive()) return;
        List<ProcessHandle> tree = tree(p);
        for (ProcessHandle h : tree) h.destroy();
        try {
            if (!p.waitFor(killGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                for (ProcessHandle h : tree) h.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            for (ProcessHandle h : tree) h.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static List<ProcessHandle> tree(Process p) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(p.toHandle());
        p.descendants().forEach(all::add);
        return all;
    }
}
