package io.warden.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local cell laid out the way {@code bin/warden cell up --dir D} lays it out ({@code D/endpoints},
 * {@code D/replica-N/pid}), started and stopped through that launcher, so the bench runs against
 * exactly what a person starts. Signals only the PIDs written in its own directory.
 */
public final class BenchCell {
    private static final long LAUNCHER_SECONDS = 300; // a first start builds the server

    private final Path launcher;
    private final Path dir;
    private final int basePort;
    private final int warmUpCycles;

    /** {@code warmUpCycles}: what each replica it starts runs before joining ({@code cell up --warm-up-cycles}). */
    public BenchCell(Path launcher, Path dir, int basePort, int warmUpCycles) {
        this.launcher = launcher;
        this.dir = dir;
        this.basePort = basePort;
        this.warmUpCycles = warmUpCycles;
    }

    /** {@code bin/warden}: from {@code -Dwarden.home} (set by the launcher), else the nearest one above the working directory. */
    public static Path findLauncher() {
        String home = System.getProperty("warden.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin/warden"))) return Path.of(home, "bin/warden");
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("bin/warden"))) return p.resolve("bin/warden");
        }
        throw new IllegalStateException("cannot find bin/warden (run the bench through bin/warden, or from the repository)");
    }

    public int warmUpCycles() {
        return warmUpCycles;
    }

    public Path dir() {
        return dir;
    }

    /** Starts every replica that is not running and waits until a master serves. */
    public void up() throws IOException, InterruptedException {
        launch("cell", "up", "--dir", dir.toString(), "--base-port", Integer.toString(basePort),
            "--warm-up-cycles", Integer.toString(warmUpCycles));
    }

    public void down() throws IOException, InterruptedException {
        launch("cell", "down", "--dir", dir.toString());
    }

    /** The endpoints file {@code cell up} wrote. */
    public List<String> endpoints() throws IOException {
        return List.of(Files.readString(dir.resolve("endpoints")).trim().split(","));
    }

    /** The running process of replica {@code index} (0-based, in endpoint order), if any. */
    public Optional<ProcessHandle> replica(int index) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("replica-" + (index + 1)).resolve("pid")).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Resident memory of every running replica, in MiB (from /proc); NaN if none could be read. */
    public double residentMegabytes(int replicas) {
        long kb = 0;
        boolean any = false;
        for (int i = 0; i < replicas; i++) {
            Optional<ProcessHandle> p = replica(i);
            if (p.isEmpty()) continue;
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.get().pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
                        any = true;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the process ended meanwhile: count what could be read
            }
        }
        return any ? kb / 1024.0 : Double.NaN;
    }

    private void launch(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createDirectories(dir).resolve("bench-launcher.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(LAUNCHER_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("bin/warden " + String.join(" ", args) + " took over " + LAUNCHER_SECONDS + " s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("bin/warden " + String.join(" ", args) + " exited " + p.exitValue() + "; see " + log);
        }
    }
}
