package io.warden.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real local 3-replica cell, started the way a person starts one: {@code bin/warden cell up --dir
 * <temp dir> --base-port <free>}, and stopped with {@code bin/warden cell down --dir <temp dir>} (which
 * signals only the PIDs it started). One cell serves every test class of a run: the extension keeps
 * it in JUnit's root store, which closes it when the run ends. Every wait is bounded.
 */
final class LocalCell implements AutoCloseable {
    /** Long enough for {@code cell up} to build the server first (a fresh clone), then elect a master. */
    private static final long UP_SECONDS = 300;

    final Path repo;
    final Path dir;
    final int basePort;
    final String endpoints;

    private LocalCell(Path repo, Path dir, int basePort, String endpoints) {
        this.repo = repo;
        this.dir = dir;
        this.basePort = basePort;
        this.endpoints = endpoints;
    }

    /** Resolves a {@code LocalCell} parameter (in {@code @BeforeAll} or a test) to the run's shared cell. */
    static final class Shared implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
            return p.getParameter().getType() == LocalCell.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext c) {
            return c.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(LocalCell.class, k -> start(), LocalCell.class);
        }
    }

    /** The shared cell: {@code cell up} as README says, so with its default warm-up. */
    static LocalCell start() {
        return launch(null, null);
    }

    /**
     * A cell of its own, {@code bin/warden cell up} given {@code extra} options too (e.g. {@code --secure});
     * it skips the warm-up (the shared cell shows it), which would add ~20 s of CPU to the run.
     */
    static LocalCell start(String... extra) {
        return launch(null, null, withoutWarmUp(extra));
    }

    private static String[] withoutWarmUp(String... extra) {
        List<String> all = new java.util.ArrayList<>(List.of(extra));
        all.addAll(List.of("--warm-up-cycles", "0"));
        return all.toArray(String[]::new);
    }

    /**
     * A cell with authentication: {@code authJson} is every replica's {@code auth} section, and
     * {@code token} (a bootstrap admin's) lets {@code cell up} see the master serve. The caller closes it.
     */
    static LocalCell start(String authJson, String token) {
        return launch(authJson, token, withoutWarmUp());
    }

    private static LocalCell launch(String authJson, String token, String... extra) {
        try {
            Path repo = repoRoot();
            Path dir = Files.createTempDirectory("warden-cli-test-");
            int base = freeBasePort();
            Path log = dir.resolve("cell-up.log");
            List<String> args = new java.util.ArrayList<>(List.of("cell", "up", "--dir", dir.toString(), "--base-port", Integer.toString(base)));
            args.addAll(List.of(extra));
            if (authJson != null) {
                Path auth = dir.resolve("auth.json");
                Files.writeString(auth, authJson);
                args.addAll(List.of("--auth", auth.toString()));
            }
            int code = runLauncher(repo, log, UP_SECONDS, token, args.toArray(String[]::new));
            if (code != 0) throw new IllegalStateException("bin/warden cell up exited " + code + ":\n" + Files.readString(log));
            String endpoints = Files.readString(dir.resolve("endpoints")).trim();
            return new LocalCell(repo, dir, base, endpoints);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the cell", e);
        }
    }

    @Override
    public void close() throws IOException { // JUnit closes AutoCloseable values of its root store when the run ends
        try {
            runLauncher(repo, dir.resolve("cell-down.log"), 60, null, "cell", "down", "--dir", dir.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The repository: the nearest directory above this module's that has {@code bin/warden}. */
    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("bin/warden")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
        }
        throw new IllegalStateException("no bin/warden above " + Path.of("").toAbsolutePath());
    }

    /** Runs {@code bin/warden args} with its output in {@code log}; its exit code. */
    static int runLauncher(Path log, String... args) throws IOException, InterruptedException {
        return runLauncher(repoRoot(), log, UP_SECONDS, null, args);
    }

    private static int runLauncher(Path repo, Path log, long seconds, String token, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(repo.resolve("bin/warden").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (token != null) pb.environment().put("WARDEN_TOKEN", token);
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("bin/warden " + String.join(" ", args) + " took over " + seconds + " s:\n" + Files.readString(log));
        }
        return p.exitValue();
    }

    /** A base port P with P..P+2 (clients) and P+100..P+102 (peers) free on 127.0.0.1 now. */
    static int freeBasePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (free(base) && free(base + 1) && free(base + 2) && free(base + 100) && free(base + 101) && free(base + 102)) return base;
        }
        throw new IOException("no free ports for a cell");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
