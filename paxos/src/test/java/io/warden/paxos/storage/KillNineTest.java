package io.warden.paxos.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.paxos.DurableState;
import io.warden.paxos.Message;
import io.warden.paxos.Snapshot;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real crashes: a separate JVM ({@link KillTestWriter}) writes through the storage with several
 * threads and acknowledges each synced slot on stdout; the test SIGKILLs it at a seeded random
 * point, reopens the same directory here and checks that every acknowledged write came back intact.
 * The directory carries over between iterations, so recovery also runs on logs that earlier
 * recoveries repaired. The same loop must catch {@link UnsafeAckBeforeWriteStorage}, which proves
 * it can fail.
 *
 * <p>{@code -Dwarden.killtest.iterations=200} runs longer; {@code -Dwarden.killtest.seed=N} replays.
 */
class KillNineTest {
    private static final int ITERATIONS = Integer.getInteger("warden.killtest.iterations", 15);
    private static final long SEED = Long.getLong("warden.killtest.seed", System.nanoTime());
    private static final int THREADS = 4;
    private static final long SEGMENT_BYTES = 64 * 1024;
    private static final long SNAPSHOT_EVERY = 400;
    private static final int MAX_ACKS_BEFORE_KILL = 2000;

    @TempDir Path tmp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everyAcknowledgedWriteSurvivesKillNine() throws Exception {
        System.out.println("KillNineTest seed " + SEED + " (replay with -Dwarden.killtest.seed=" + SEED + ")");
        KillLoop loop = new KillLoop(tmp, "safe", new Random(SEED));
        for (int i = 0; i < ITERATIONS; i++) {
            List<String> violations = loop.killOnce();
            assertThat(violations).as("iteration %d, seed %d", i, SEED).isEmpty();
        }
        System.out.printf("KillNineTest: %d kills, %d slots acknowledged, snapshot through %d, %d promises%n",
            ITERATIONS, loop.acked.size(), loop.snapshotThrough, loop.promiseRound);
        assertThat(loop.acked.size()).as("the writer acknowledged something").isPositive();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void theLoopCatchesAStorageThatAcknowledgesBeforeWriting() throws Exception {
        System.out.println("KillNineTest (unsafe) seed " + SEED);
        KillLoop loop = new KillLoop(tmp, "unsafe", new Random(SEED));
        List<String> violations = List.of();
        for (int i = 0; i < ITERATIONS && violations.isEmpty(); i++) violations = loop.killOnce();
        assertThat(violations).as("acknowledged writes lost by the unsafe storage, seed %d", SEED).isNotEmpty();
        System.out.println("unsafe storage caught (" + violations.size() + (violations.size() == 20 ? "+" : "")
            + " violations), e.g. "
            + violations.subList(0, Math.min(3, violations.size())));
    }

    /** Runs the writer, kills it, checks; keeps what was acknowledged across iterations. */
    static final class KillLoop {
        final Path dir;
        final Path stderr;
        final String classPath;
        final String variant;
        final Random random;
        final TreeSet<Long> acked = new TreeSet<>();
        long promiseRound;
        long snapshotThrough = -1;

        KillLoop(Path tmp, String variant, Random random) {
            this.dir = tmp.resolve("storage");
            this.stderr = tmp.resolve("writer-stderr.txt");
            this.classPath = ForkedClassPath.copyInto(tmp);
            this.variant = variant;
            this.random = random;
        }

        List<String> killOnce() throws IOException, InterruptedException {
            int killAfter = random.nextInt(MAX_ACKS_BEFORE_KILL + 1);
            Process writer = start();
            // A hung writer is killed, so the reads below end instead of blocking the build.
            CompletableFuture.runAsync(writer::destroyForcibly, CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS));
            int seen = 0;
            boolean promised = false;
            try (BufferedReader out = writer.inputReader()) {
                String line;
                while ((!promised || seen < killAfter) && (line = out.readLine()) != null) {
                    promised |= line.startsWith("P ");
                    if (record(line)) seen++;
                }
                // SIGKILL through the handle: Process.destroyForcibly would also discard the unread pipe.
                writer.toHandle().destroyForcibly();
                writer.waitFor();
                // Lines already in the pipe were printed before the kill: they are acknowledgements too.
                while ((line = out.readLine()) != null) record(line);
            }
            if (!promised || writer.exitValue() != 128 + 9) {
                throw new AssertionError("writer ended by itself (exit " + writer.exitValue() + ") rather than by SIGKILL:\n"
                    + Files.readString(stderr));
            }
            return check();
        }

        private Process start() throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            return new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-cp", classPath, KillTestWriter.class.getName(),
                dir.toString(), variant, Integer.toString(THREADS), Long.toString(SEGMENT_BYTES),
                Long.toString(SNAPSHOT_EVERY))
                .redirectError(stderr.toFile())
                .start();
        }

        /** Returns whether the line acknowledged a slot. */
        private boolean record(String line) {
            long n = Long.parseLong(line.substring(2));
            switch (line.charAt(0)) {
                case 'A' -> acked.add(n);
                case 'P' -> promiseRound = Math.max(promiseRound, n);
                case 'S' -> snapshotThrough = Math.max(snapshotThrough, n);
                default -> throw new AssertionError("unexpected writer output: " + line);
            }
            return line.charAt(0) == 'A';
        }

        /** Reopens the storage here and lists every way it broke an acknowledgement. */
        private List<String> check() {
            List<String> violations = new ArrayList<>();
            DurableState state;
            try (DurablePaxosStorage storage = DurablePaxosStorage.open(dir, new DurablePaxosStorage.Options(SEGMENT_BYTES))) {
                state = storage.recover();
            }
            if (state.promised().round() < promiseRound) {
                violations.add("promise " + state.promised() + " is below the acknowledged round " + promiseRound);
            }
            long covered = state.snapshot().map(Snapshot::lastSlot).orElse(-1L);
            if (covered < snapshotThrough) {
                violations.add("snapshot through " + covered + " but one through " + snapshotThrough + " was acknowledged");
            }
            state.snapshot().filter(s -> !s.equals(new Snapshot(s.lastSlot(), SlotValues.state(s.lastSlot()))))
                .ifPresent(s -> violations.add("snapshot content garbled: " + s));
            for (long slot : acked.tailSet(covered, false)) {
                if (!state.accepted().containsKey(slot)) violations.add("acknowledged slot " + slot + " is missing");
            }
            for (Message.AcceptedEntry e : state.accepted().values()) {
                if (!e.ballot().equals(SlotValues.ballot(e.slot())) || !e.value().equals(SlotValues.value(e.slot()))) {
                    violations.add("slot " + e.slot() + " came back garbled: " + e);
                }
            }
            return violations.size() > 20 ? violations.subList(0, 20) : violations;
        }
    }
}
