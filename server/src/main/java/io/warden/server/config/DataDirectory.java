package io.warden.server.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * A replica's data directory and the identity stamped on it at creation (cell, replica id, and the
 * fingerprint of the cell's members and lease terms). A replica refuses to start on a directory
 * that belongs to another cell or replica, or whose cell has since changed shape: it would carry
 * another replica's promises into this one and break Paxos without any fault.
 */
public final class DataDirectory {
    private static final String IDENTITY = "identity.properties";

    private DataDirectory() {}

    /** Checks (or, for a new or empty directory, stamps) the identity; returns where Paxos keeps its files. */
    public static Path open(CellConfig config) {
        Path dir = config.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Path id = dir.resolve(IDENTITY);
            if (Files.exists(id)) {
                verify(config, id);
            } else {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new ConfigException("dataDir", dir + " is not empty and has no " + IDENTITY
                            + ": it is not a Warden data directory");
                    }
                }
                stamp(config, dir, id);
            }
            Path paxos = dir.resolve("paxos");
            Files.createDirectories(paxos);
            return paxos;
        } catch (IOException e) {
            throw new ConfigException("dataDir", dir + " cannot be used: " + e.getMessage());
        }
    }

    /** Deletes {@code root} and everything under it; a failure is logged, not thrown (for cleanup). */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | UncheckedIOException e) {
            LoggerFactory.getLogger(DataDirectory.class).warn("could not delete {}: {}", root, e.toString());
        }
    }

    private static void verify(CellConfig config, Path id) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(id)) {
            p.load(r);
        }
        String cell = p.getProperty("cell");
        String replica = p.getProperty("replica");
        if (!config.cell().equals(cell) || !String.valueOf(config.self()).equals(replica)) {
            throw new ConfigException("dataDir", config.dataDir() + " belongs to replica " + replica + " of cell " + cell
                + ", not to replica " + config.self() + " of cell " + config.cell());
        }
        if (!config.fingerprint().equals(p.getProperty("fingerprint"))) {
            String lease = p.getProperty("leaseMillis");
            String hint = lease == null ? "" : lease.equals(String.valueOf(config.timings().leaseMillis()))
                && String.valueOf(config.timings().driftBound()).equals(p.getProperty("driftBound"))
                ? "; its lease terms are the same, so the members or the cell limits differ"
                : "; it was created with leaseMillis " + lease + " and driftBound " + p.getProperty("driftBound")
                    + ": set \"timings\" to those (a cell's lease terms are fixed when it is created), or start it on a new data directory";
            throw new ConfigException("members", "the cell's members or lease terms differ from those " + config.dataDir()
                + " was created with (fingerprint " + p.getProperty("fingerprint") + ", now " + config.fingerprint()
                + ")" + hint + "; membership changes are not supported yet");
        }
    }

    private static void stamp(CellConfig config, Path dir, Path id) throws IOException {
        Properties p = new Properties();
        p.setProperty("cell", config.cell());
        p.setProperty("replica", String.valueOf(config.self()));
        p.setProperty("fingerprint", config.fingerprint());
        // For the error message only: which lease terms the fingerprint was made with.
        p.setProperty("leaseMillis", String.valueOf(config.timings().leaseMillis()));
        p.setProperty("driftBound", String.valueOf(config.timings().driftBound()));
        Path tmp = dir.resolve(IDENTITY + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "Warden replica identity: do not edit");
        }
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(tmp, id, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync " + dir, e);
        }
    }
}
