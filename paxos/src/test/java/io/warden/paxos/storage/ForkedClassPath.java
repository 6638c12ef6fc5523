package io.warden.paxos.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The class path for a forked test JVM, with this build's class directories copied aside first, so
 * a concurrent recompile of {@code target/classes} cannot pull classes from under the forked
 * processes halfway through a test. Understands surefire's manifest-only booter jar.
 */
final class ForkedClassPath {
    private ForkedClassPath() {}

    static String copyInto(Path dir) {
        try {
            List<String> out = new ArrayList<>();
            int n = 0;
            for (Path entry : entries()) {
                if (Files.isDirectory(entry)) {
                    Path copy = dir.resolve("classes-" + n++);
                    copyTree(entry, copy);
                    out.add(copy.toString());
                } else {
                    out.add(entry.toString());
                }
            }
            return String.join(File.pathSeparator, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> entries() throws IOException {
        List<Path> paths = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) paths.add(Path.of(e));
        if (paths.size() == 1 && paths.get(0).toString().endsWith(".jar")) {
            try (JarFile booter = new JarFile(paths.get(0).toFile())) {
                String manifestPath = booter.getManifest().getMainAttributes().getValue("Class-Path");
                if (manifestPath != null) {
                    URI base = paths.get(0).toUri();
                    paths.clear();
                    for (String e : manifestPath.trim().split("\\s+")) paths.add(Path.of(base.resolve(e)));
                }
            }
        }
        return paths;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.naturalOrder())::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
