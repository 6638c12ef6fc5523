package io.warden.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Runs {@code warden} in this JVM (captured output) or as a real process (for signals and child processes). */
final class Cli {
    private Cli() {}

    /** What one in-process run printed and returned. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = WardenCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** An in-process run on a thread of its own, whose output can be read while it runs. */
    static final class Running {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final java.util.concurrent.CompletableFuture<Integer> code = new java.util.concurrent.CompletableFuture<>();
        private final Thread thread;

        Running(String... args) {
            picocli.CommandLine cl = WardenCli.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            thread = new Thread(() -> code.complete(cl.execute(args)), "warden-in-process");
            thread.setDaemon(true);
            thread.start();
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }

        /** Interrupts it (as Ctrl-C would stop the real thing). */
        void interrupt() {
            thread.interrupt();
        }

        Result result(Duration within) throws Exception {
            try {
                return new Result(code.get(within.toMillis(), TimeUnit.MILLISECONDS), out(), err());
            } catch (java.util.concurrent.TimeoutException e) {
                thread.interrupt();
                throw new AssertionError("warden did not return within " + within + "\n--- stdout\n" + out() + "--- stderr\n" + err());
            }
        }
    }

    /** A {@code warden} JVM of its own; stdout and stderr go to files under {@code dir}. */
    static final class Proc {
        final Process process;
        final Path out;
        final Path err;

        private Proc(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        long pid() {
            return process.pid();
        }

        /** Waits (bounded) for the exit code; kills it and fails if it does not exit in time. */
        int exitCode(Duration within) throws InterruptedException {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("warden did not exit within " + within + "\n" + output());
            }
            return process.exitValue();
        }

        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        String output() {
            return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
        }

        /** Signals this process (one we started) by its PID: STOP, CONT, TERM. */
        void signal(String name) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) throw new IOException("kill -" + name + " " + pid() + " failed");
        }

        /** Makes sure it is gone (a failed test must not leave it running): CONT, then KILL. */
        void ensureStopped() throws IOException, InterruptedException {
            if (!process.isAlive()) return;
            signal("CONT");
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        private static String read(Path p) {
            try {
                return Files.exists(p) ? Files.readString(p) : "";
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }
    }

    static Proc start(Path dir, String endpoints, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
            "-cp", System.getProperty("java.class.path"), WardenCli.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "warden-", ".out");
        Path err = Files.createTempFile(dir, "warden-", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("WARDEN_ENDPOINTS", endpoints);
        return new Proc(pb.start(), out, err);
    }

    /** Polls {@code condition} every 50 ms for at most {@code within}; fails with {@code what} if it never holds. */
    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + within + " waiting for " + what);
            Thread.sleep(50);
        }
    }
}
