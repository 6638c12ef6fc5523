package io.warden.server.it;

import io.warden.server.config.DataDirectory;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class path replica processes run with: this test JVM's {@code java.class.path}, except that
 * the entries built in the working tree ({@code target/classes} directories, jars under a
 * {@code target/} directory) are copied once, on first use, into a private directory. A replica
 * restarted a minute later then runs the same code as the first one, even if a concurrent build
 * in the shared working tree is recompiling those directories at that moment (it deletes the
 * classes before writing them again, and a JVM started in between dies of NoClassDefFoundError).
 * Dependencies in the local Maven repository are used in place.
 */
final class ClassPathSnapshot {
    private static String classPath;

    private ClassPathSnapshot() {}

    /** The snapshot's class path; made on the first call (thread-safe), deleted when this JVM exits. */
    static synchronized String get() {
        if (classPath == null) classPath = take(System.getProperty("java.class.path"));
        return classPath;
    }

    private static String take(String original) {
        try {
            Path root = Files.createTempDirectory("warden-it-classpath-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> DataDirectory.deleteTree(root), "classpath-snapshot-cleanup"));
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String entry : original.split(File.pathSeparator)) {
                if (entry.isEmpty()) continue;
                Path p = Path.of(entry);
                boolean built = p.toAbsolutePath().toString().contains(File.separator + "target" + File.separator);
                if (!built || !Files.exists(p)) {
                    entries.add(entry);
                } else if (Files.isDirectory(p)) {
                    Path copy = root.resolve(Integer.toString(n++));
                    copyTree(p, copy);
                    entries.add(copy.toString());
                } else {
                    Path copy = root.resolve(n++ + "-" + p.getFileName());
                    Files.copy(p, copy);
                    entries.add(copy.toString());
                }
            }
            return String.join(File.pathSeparator, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot snapshot the class path", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path src : paths.toList()) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (Files.isDirectory(src)) Files.createDirectories(dst);
                else Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
