package io.warden.paxos.storage;

import io.warden.paxos.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * Snapshots as MapDB files that are written once and never modified: written under a temporary
 * name, committed, closed, fsynced, renamed into place, the directory fsynced, then reopened
 * read-only and verified. MapDB here is only a container format; it never holds mutable Paxos state
 * (its own recovery is not trusted, see STACK.md).
 *
 * <p>A file holds the state in chunks of at most {@value #CHUNK_BYTES} bytes and meta entries: the
 * format version, the snapshot's last slot, the state's length and CRC32C, and the write-ahead log
 * segment from which replay must start when this snapshot is used. Files are named by a sequence
 * number; the highest-numbered file that verifies is the newest snapshot. Files that fail to verify
 * are deleted at open, as are leftover temporary files.
 *
 * <p>Threading: not thread-safe; the owner serialises calls. Errors are {@link UncheckedIOException}.
 */
public final class SnapshotFiles {
    static final int CHUNK_BYTES = 1 << 20;
    private static final long FORMAT = 1;
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})\\.mapdb");

    static {
        NativeLibraryFiles.loadMapDbAndUnlinkItsLibrary();
    }

    /** A snapshot file that verified: its sequence number, last slot and replay-start segment. */
    public record Stored(long sequence, long lastSlot, long walSegment, Path file) {}

    private final Path dir;
    private final TreeMap<Long, Stored> valid = new TreeMap<>();

    private SnapshotFiles(Path dir) {
        this.dir = dir;
    }

    /** Opens {@code dir}, deleting temporary files and snapshot files that fail to verify. */
    public static SnapshotFiles open(Path dir) {
        SnapshotFiles files = new SnapshotFiles(dir);
        try {
            Files.createDirectories(dir);
            files.scan();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open snapshot directory " + dir, e);
        }
        return files;
    }

    private void scan() throws IOException {
        boolean deleted = false;
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : (Iterable<Path>) list::iterator) {
                OptionalLong seq = parseSequence(f);
                if (seq.isPresent()) {
                    Optional<Stored> s = verify(f, seq.getAsLong(), null);
                    if (s.isPresent()) {
                        valid.put(seq.getAsLong(), s.get());
                        continue;
                    }
                }
                if (seq.isPresent() || f.getFileName().toString().endsWith(".tmp")) {
                    Files.delete(f); // damaged, or a write that never reached its rename
                    deleted = true;
                }
            }
        }
        if (deleted) fsyncDirectory();
    }

    /** The newest snapshot file that verified, if any. */
    public Optional<Stored> newest() {
        return valid.isEmpty() ? Optional.empty() : Optional.of(valid.lastEntry().getValue());
    }

    /** All verified files, oldest first. */
    public List<Stored> stored() {
        return List.copyOf(valid.values());
    }

    /** Reads and verifies {@code stored} again, returning its snapshot. */
    public Snapshot read(Stored stored) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Optional<Stored> s = verify(stored.file(), stored.sequence(), out);
        if (s.isEmpty()) throw new UncheckedIOException(new IOException("snapshot " + stored.file() + " is damaged"));
        return new Snapshot(stored.lastSlot(), out.toByteArray());
    }

    /**
     * Writes {@code snapshot} as the newest file; durable and verified when this returns.
     *
     * @param walSegment the log segment from which recovery must replay when it uses this snapshot
     */
    public Stored write(Snapshot snapshot, long walSegment) {
        long sequence = valid.isEmpty() ? 1 : valid.lastKey() + 1;
        Path file = dir.resolve(fileName(sequence));
        Path tmp = dir.resolve(fileName(sequence) + ".tmp");
        try {
            Files.deleteIfExists(tmp); // from an earlier attempt that failed in this process
            writeMapDb(tmp, snapshot, walSegment);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true); // MapDB's close is not trusted to have reached the disk
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory();
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("cannot write snapshot " + file,
                e instanceof IOException io ? io : new IOException(e));
        }
        Stored stored = verify(file, sequence, null).orElseThrow(
            () -> new UncheckedIOException(new IOException("snapshot " + file + " failed to verify after writing")));
        valid.put(sequence, stored);
        return stored;
    }

    /** Deletes the snapshot files older than {@code sequence}. */
    public void deleteOlderThan(long sequence) {
        var doomed = new ArrayList<>(valid.headMap(sequence).values());
        if (doomed.isEmpty()) return;
        try {
            for (Stored s : doomed) {
                Files.deleteIfExists(s.file());
                valid.remove(s.sequence());
            }
            fsyncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete old snapshots in " + dir, e);
        }
    }

    private static void writeMapDb(Path tmp, Snapshot snapshot, long walSegment) {
        byte[] state = snapshot.state();
        CRC32C crc = new CRC32C();
        crc.update(state);
        try (DB db = DBMaker.fileDB(tmp.toFile()).fileChannelEnable().make()) {
            BTreeMap<Long, byte[]> chunks = db.treeMap("chunks", Serializer.LONG, Serializer.BYTE_ARRAY)
                .valuesOutsideNodesEnable().create();
            long count = 0;
            for (int off = 0; off < state.length; off += CHUNK_BYTES) {
                chunks.put(count++, Arrays.copyOfRange(state, off, Math.min(state.length, off + CHUNK_BYTES)));
            }
            BTreeMap<String, Long> meta = db.treeMap("meta", Serializer.STRING, Serializer.LONG).create();
            meta.putAll(Map.of("format", FORMAT, "lastSlot", snapshot.lastSlot(), "length", (long) state.length,
                "crc32c", crc.getValue(), "chunks", count, "walSegment", walSegment));
            db.commit();
        }
    }

    /**
     * Opens {@code file} read-only and checks its meta, chunk count, length and CRC32C; copies the
     * state into {@code out} when given. Empty when the file is damaged in any way.
     */
    private static Optional<Stored> verify(Path file, long sequence, ByteArrayOutputStream out) {
        try (DB db = DBMaker.fileDB(file.toFile()).fileChannelEnable().readOnly().make()) {
            if (!db.exists("meta") || !db.exists("chunks")) return Optional.empty();
            BTreeMap<String, Long> meta = db.treeMap("meta", Serializer.STRING, Serializer.LONG).open();
            BTreeMap<Long, byte[]> chunks = db.treeMap("chunks", Serializer.LONG, Serializer.BYTE_ARRAY)
                .valuesOutsideNodesEnable().open();
            Long format = meta.get("format");
            Long lastSlot = meta.get("lastSlot");
            Long length = meta.get("length");
            Long crc32c = meta.get("crc32c");
            Long count = meta.get("chunks");
            Long walSegment = meta.get("walSegment");
            if (format == null || format != FORMAT || lastSlot == null || lastSlot < 0 || length == null
                || crc32c == null || count == null || walSegment == null) {
                return Optional.empty();
            }
            CRC32C crc = new CRC32C();
            long total = 0;
            for (long i = 0; i < count; i++) {
                byte[] chunk = chunks.get(i);
                if (chunk == null || chunk.length > CHUNK_BYTES) return Optional.empty();
                crc.update(chunk);
                total += chunk.length;
                if (out != null) out.write(chunk, 0, chunk.length);
            }
            if (total != length || crc.getValue() != crc32c || chunks.size() != count) return Optional.empty();
            return Optional.of(new Stored(sequence, lastSlot, walSegment, file));
        } catch (RuntimeException | AssertionError e) {
            return Optional.empty(); // MapDB reports a damaged file in many ways; all mean "not valid"
        }
    }

    static String fileName(long sequence) {
        return String.format("snapshot-%020d.mapdb", sequence);
    }

    private static OptionalLong parseSequence(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    private void fsyncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
