package io.warden.paxos.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * MapDB hashes with lz4-java, which unpacks its native library into {@code java.io.tmpdir} in every
 * JVM that loads it and deletes the file only at a clean exit: each replica stopped by {@code kill -9}
 * (or a crash) left ~60 KB in /tmp for good. Once loaded the library is mapped, so the file can go at
 * once; this loads MapDB's hashing up front and unlinks the copy this process mapped (found in
 * /proc/self/maps, so another JVM's copy, perhaps not loaded yet, is never touched). Where there is no
 * /proc it does nothing.
 */
final class NativeLibraryFiles {
    private static final String UNPACKED_NAME = "liblz4-java";

    private NativeLibraryFiles() {}

    static void loadMapDbAndUnlinkItsLibrary() {
        try {
            Class.forName("org.mapdb.CC", true, NativeLibraryFiles.class.getClassLoader()); // picks and loads the hash library
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("MapDB is not on the class path", e);
        }
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) return;
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
            for (Path mapped : mappedFiles(Files.readAllLines(maps))) {
                if (mapped.getFileName().toString().startsWith(UNPACKED_NAME) && tmp.equals(mapped.getParent())) {
                    Files.deleteIfExists(mapped);
                }
            }
        } catch (IOException | InvalidPathException e) {
            // Only a leftover file is at stake: never a reason to stop a replica.
        }
    }

    /** The files named in /proc/self/maps lines (the path starts at the first '/'; deleted ones are skipped). */
    private static List<Path> mappedFiles(List<String> lines) {
        return lines.stream()
            .filter(l -> l.indexOf('/') >= 0 && !l.endsWith(" (deleted)"))
            .map(l -> Path.of(l.substring(l.indexOf('/'))))
            .distinct()
            .toList();
    }
}
