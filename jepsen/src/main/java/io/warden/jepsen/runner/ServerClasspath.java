package io.warden.jepsen.runner;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the replica processes' classes come from. In order: the system property
 * {@code warden.jepsen.serverClasspath} (or {@code --server-classpath}); this JVM's own class path
 * if it holds {@code io.warden.server.WardenServer}; else the server module's build output,
 * {@code server/target/classes} plus {@code server/target/runtime-classpath.txt} (written by
 * {@code mvn -DskipTests package -pl server -am}), found from {@code warden.jepsen.root} or by
 * walking up from the working directory.
 */
public final class ServerClasspath {
    public static final String PROPERTY = "warden.jepsen.serverClasspath";
    public static final String ROOT_PROPERTY = "warden.jepsen.root";
    static final String MAIN_CLASS = "io.warden.server.WardenServer";

    private ServerClasspath() {}

    /** The class path to start replicas with; throws {@link IllegalStateException} saying how to build it. */
    public static String resolve(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return property;
        }
        if (onOwnClasspath()) {
            return System.getProperty("java.class.path");
        }
        Path root = projectRoot().orElseThrow(() -> new IllegalStateException(
                "cannot find the Warden source tree (server/target/runtime-classpath.txt) from "
                        + Path.of("").toAbsolutePath() + "; set -D" + ROOT_PROPERTY + " or -D" + PROPERTY));
        return fromBuild(root);
    }

    /** The class path of the server module built under {@code root}. */
    static String fromBuild(Path root) {
        Path classes = root.resolve("server/target/classes");
        Path deps = root.resolve("server/target/runtime-classpath.txt");
        if (!Files.isDirectory(classes.resolve("io/warden/server")) || !Files.isRegularFile(deps)) {
            throw new IllegalStateException("the server is not built under " + root
                    + ": run `mvn -q -DskipTests package -pl server -am` there (bin/warden-jepsen does it)");
        }
        try {
            return classes + java.io.File.pathSeparator + Files.readString(deps, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + deps + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies the entries of {@code classpath} that a build may overwrite (class directories, and
     * jars outside the local Maven repository) into {@code dir}, and returns the class path over the
     * copies. A replica restarted by the kill nemesis then runs the very code the run started with,
     * however the source tree is rebuilt meanwhile (a half-rebuilt {@code target/classes} made
     * restarted replicas die of {@code NoClassDefFoundError}).
     */
    static String snapshot(String classpath, Path dir) throws IOException {
        Files.createDirectories(dir);
        String m2 = Path.of(System.getProperty("user.home"), ".m2").toString();
        List<String> copied = new ArrayList<>();
        int n = 0;
        for (String entry : classpath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.isBlank() || !Files.exists(p) || p.toAbsolutePath().startsWith(m2)) {
                copied.add(entry);
                continue;
            }
            Path target = dir.resolve((n++) + "-" + p.getFileName());
            if (Files.isDirectory(p)) {
                copyTree(p, target);
            } else {
                Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
            copied.add(target.toString());
        }
        return String.join(File.pathSeparator, copied);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static boolean onOwnClasspath() {
        try {
            Class.forName(MAIN_CLASS, false, ServerClasspath.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The Warden source tree: {@code warden.jepsen.root}, or the nearest ancestor holding {@code server/pom.xml}. */
    static Optional<Path> projectRoot() {
        String property = System.getProperty(ROOT_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property).toAbsolutePath());
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("server/pom.xml")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
