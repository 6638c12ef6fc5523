package io.warden.paxos.storage;

import io.warden.paxos.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A forked JVM for {@link SnapshotFilesTest}: writes one snapshot in {@code args[0]}, prints how many
 * of its mappings are lz4-java's unpacked library, then waits to be killed.
 */
public final class SnapshotWriterThatWaits {
    public static void main(String[] args) throws Exception {
        SnapshotFiles.open(Path.of(args[0])).write(new Snapshot(1, new byte[] {1, 2, 3}), 1);
        long mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("liblz4-java")).count();
        System.out.println("written " + mapped);
        System.out.flush();
        Thread.sleep(60_000);
    }
}
