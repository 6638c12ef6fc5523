package io.warden.paxos.storage;

import io.warden.paxos.Ballot;
import io.warden.paxos.DurableState;
import io.warden.paxos.PaxosStorage;
import io.warden.paxos.Snapshot;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The process {@link KillNineTest} kills: opens the storage, then several threads each persist an
 * accepted value for the next slot, sync, and print an acknowledgement, until killed. Every line is
 * flushed to the pipe before the next write starts, so a line the test reads is a promise made.
 *
 * <p>Output: {@code P <round>} once the promise is synced, {@code A <slot>} per synced slot,
 * {@code S <lastSlot>} per durable snapshot. Arguments: {@code dir safe|unsafe threads
 * segmentBytes snapshotEvery}. Exits by itself when its stdin closes (the test died) or after
 * a minute, so it can never outlive the test for long.
 */
public final class KillTestWriter {
    private static final PrintStream OUT =
        new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);

    private KillTestWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean unsafe = args[1].equals("unsafe");
        int threads = Integer.parseInt(args[2]);
        long segmentBytes = Long.parseLong(args[3]);
        long snapshotEvery = Long.parseLong(args[4]);
        exitWhenOrphaned();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            e.printStackTrace();
            Runtime.getRuntime().halt(2); // a writer that failed must not look like one that was killed
        });

        warmUpSnapshots();
        DurablePaxosStorage durable = DurablePaxosStorage.open(dir, new DurablePaxosStorage.Options(segmentBytes));
        PaxosStorage storage = unsafe ? new UnsafeAckBeforeWriteStorage(durable, 50) : durable;
        DurableState state = storage.recover();
        long snapshotSlot = state.snapshot().map(Snapshot::lastSlot).orElse(0L);
        long first = Math.max(snapshotSlot, state.accepted().isEmpty() ? 0 : state.accepted().lastKey()) + 1;

        Ballot promise = new Ballot(state.promised().round() + 1, 1);
        storage.persistPromise(promise);
        storage.sync();
        ack("P " + promise.round());

        AtomicLong next = new AtomicLong(first);
        long[] lastSnapshot = {snapshotSlot};
        for (int t = 0; t < threads; t++) {
            Thread writer = new Thread(() -> {
                while (true) {
                    long slot = next.getAndIncrement();
                    storage.persistAccepted(slot, SlotValues.ballot(slot), SlotValues.value(slot));
                    storage.sync();
                    ack("A " + slot);
                    if (slot % snapshotEvery == 0) {
                        synchronized (lastSnapshot) {
                            long through = slot - snapshotEvery / 2;
                            if (through > lastSnapshot[0]) {
                                storage.persistSnapshot(new Snapshot(through, SlotValues.state(through)));
                                durable.awaitSnapshotWrites(); // the ack promises the file is durable
                                lastSnapshot[0] = through;
                                ack("S " + through);
                            }
                        }
                    }
                }
            }, "writer-" + t);
            writer.start();
        }
    }

    /**
     * Loads MapDB's classes before the clock starts: otherwise the first snapshot of a fresh JVM
     * takes longer than most runs last, and kills would rarely land after a snapshot.
     */
    private static void warmUpSnapshots() throws IOException {
        Path scratch = Files.createTempDirectory("kill-writer-warmup");
        SnapshotFiles files = SnapshotFiles.open(scratch);
        files.read(files.write(new Snapshot(1, new byte[10]), 1));
        try (Stream<Path> s = Files.list(scratch)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.delete(p);
        }
        Files.delete(scratch);
    }

    private static void ack(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }

    private static void exitWhenOrphaned() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the test never writes; end of input means it is gone
                }
            } catch (IOException e) {
                // the same: nobody is listening any more
            }
            Runtime.getRuntime().halt(3);
        }, "orphan-watch");
        watcher.setDaemon(true);
        watcher.start();
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(4);
        }, "deadline");
        deadline.setDaemon(true);
        deadline.start();
    }
}
