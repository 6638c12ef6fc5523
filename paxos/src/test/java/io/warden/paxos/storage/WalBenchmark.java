package io.warden.paxos.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Durable appends per second through {@link WriteAheadLog} with 1, 8 and 64 concurrent proposers
 * (each: append a 100-byte record, sync, repeat), beside the raw rate of {@code force(false)} after
 * a 4 KiB write on the same disk. Prints markdown. Bounded: about {@code 5 x seconds} in all.
 *
 * <pre>
 * mvn -q -pl paxos -am test-compile
 * java -cp paxos/target/classes:paxos/target/test-classes io.warden.paxos.storage.WalBenchmark [dir] [seconds] [segmentMiB]
 * </pre>
 */
public final class WalBenchmark {
    private static final int RECORD_BYTES = 100;
    private static final int[] PROPOSERS = {1, 8, 64};

    private WalBenchmark() {}

    record Result(String what, long ops, double seconds, long forces, long[] latenciesNanos) {
        double perSecond() {
            return ops / seconds;
        }

        long percentileMicros(double p) {
            if (latenciesNanos.length == 0) return 0;
            return latenciesNanos[(int) Math.min(latenciesNanos.length - 1, p * latenciesNanos.length)] / 1000;
        }
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"));
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        long segmentBytes = (args.length > 2 ? Long.parseLong(args[2]) : 64) << 20;
        Path dir = Files.createTempDirectory(base, "walbench-");
        try {
            run(dir, seconds, segmentBytes);
        } finally {
            deleteTree(dir);
        }
    }

    private static void run(Path dir, double seconds, long segmentBytes) throws Exception {
        System.out.printf("Settings: %d-byte records, %s s per row, %d MiB segments, dir %s (%s), %d cores, Java %s, %s %s%n%n",
            RECORD_BYTES, seconds, segmentBytes >> 20, dir, Files.getFileStore(dir).type(),
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
            System.getProperty("os.name"), System.getProperty("os.version"));
        Result raw = rawForce(dir.resolve("raw.bin"), seconds);
        appends(dir.resolve("warmup"), 8, Math.min(1, seconds), segmentBytes); // JIT warm-up, not reported
        System.out.println("| proposers | durable appends/s | forces/s | records per force | sync p50 µs | sync p99 µs |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        for (int proposers : PROPOSERS) {
            Result r = appends(dir.resolve("wal-" + proposers), proposers, seconds, segmentBytes);
            System.out.printf("| %d | %,.0f | %,.0f | %.1f | %d | %d |%n", proposers, r.perSecond(),
                r.forces() / r.seconds(), (double) r.ops() / Math.max(1, r.forces()),
                r.percentileMicros(0.5), r.percentileMicros(0.99));
        }
        System.out.printf("| raw: 4 KiB write + force(false), 1 thread | %,.0f | %,.0f | 1.0 | %d | %d |%n",
            raw.perSecond(), raw.perSecond(), raw.percentileMicros(0.5), raw.percentileMicros(0.99));
    }

    /** fdatasync after each 4 KiB write into a preallocated file: the disk's floor for one writer. */
    private static Result rawForce(Path file, double seconds) throws IOException {
        long size = 64L << 20;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            for (long pos = 0; pos < size; pos += 1 << 20) ch.write(zeros.clear(), pos);
            ch.force(true);
            ByteBuffer page = ByteBuffer.wrap(SlotValues.bytes(1, 4096));
            long[] latencies = new long[1 << 20];
            int n = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long pos = 0;
            for (long now = start; now < end && n < latencies.length; ) {
                ch.write(page.clear(), pos);
                ch.force(false);
                long after = System.nanoTime();
                latencies[n++] = after - now;
                now = after;
                pos = (pos + 4096) % size;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            return new Result("raw", n, elapsed, n, sorted);
        }
    }

    private static Result appends(Path dir, int proposers, double seconds, long segmentBytes) throws Exception {
        try (WriteAheadLog log = WriteAheadLog.open(dir, segmentBytes, (t, p) -> {})) {
            byte[] payload = SlotValues.bytes(2, RECORD_BYTES);
            long forcesBefore = log.forces();
            AtomicLong ops = new AtomicLong();
            long[][] latencies = new long[proposers][];
            Thread[] threads = new Thread[proposers];
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            for (int i = 0; i < proposers; i++) {
                int id = i;
                threads[i] = new Thread(() -> {
                    long[] mine = new long[1 << 16];
                    int n = 0;
                    for (long now = System.nanoTime(); now < end; ) {
                        log.append((byte) 1, payload);
                        log.sync();
                        long after = System.nanoTime();
                        if (n == mine.length) mine = Arrays.copyOf(mine, n * 2);
                        mine[n++] = after - now;
                        now = after;
                    }
                    latencies[id] = Arrays.copyOf(mine, n);
                    ops.addAndGet(n);
                });
                threads[i].start();
            }
            for (Thread t : threads) t.join();
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
            return new Result(proposers + " proposers", ops.get(), elapsed, log.forces() - forcesBefore, all);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }
}
