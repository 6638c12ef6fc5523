package io.warden.jepsen.runner;

import java.io.PrintStream;

/**
 * {@code bin/warden-jepsen}: parses the options ({@link RunOptions#HELP}), runs one
 * {@link JepsenRun}, and prints {@code valid=true|false ok=N fail=N info=N} as its last line.
 * Exit status: 0 iff valid; 1 if not (an anomaly, or a checker could not decide); 2 for a usage
 * error or a cell that could not be started.
 */
public final class JepsenMain {
    private JepsenMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs with the given streams; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        RunOptions options;
        try {
            options = RunOptions.parse(args);
        } catch (RunOptions.HelpRequested h) {
            out.println(RunOptions.HELP);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("warden-jepsen: " + e.getMessage());
            err.println("see bin/warden-jepsen --help");
            return 2;
        }
        try {
            RunResult result = new JepsenRun(options, out).run();
            out.println("results in " + result.dir());
            out.println(result.lastLine());
            return result.valid() ? 0 : 1;
        } catch (IllegalStateException e) {
            err.println("warden-jepsen: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("warden-jepsen: the run failed: " + e);
            e.printStackTrace(err);
            return 2;
        }
    }
}
