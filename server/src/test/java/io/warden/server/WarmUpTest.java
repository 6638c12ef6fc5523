package io.warden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.warden.server.config.ConfigException;
import io.warden.server.config.ConfigLoader;
import io.warden.server.config.DataDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The private cell a replica runs before joining its own: it does its cycles, then leaves nothing behind. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WarmUpTest {
    private Path dir;

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("warden-warm-up-test-");
    }

    @AfterEach
    void deleteDir() {
        DataDirectory.deleteTree(dir);
    }

    @Test
    void theCyclesRunThroughAPrivateCellWhoseDataIsThenDeletedWithALeftoverOfAnEarlierOne() throws IOException {
        Path warmUp = dir.resolve(WarmUp.DIRECTORY);
        Files.createDirectories(warmUp.resolve("replica-1"));
        Files.writeString(warmUp.resolve("replica-1/identity.properties"), "cell=warm-up\nreplica=1\nfingerprint=of-a-killed-warm-up\n");
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();

        WarmUp.Outcome o = WarmUp.run(300, warmUp);

        assertThat(o.failure()).isNull();
        assertThat(o.cycles()).isGreaterThanOrEqualTo(300);
        assertThat(warmUp).doesNotExist();
        assertThat(root.getLevel()).isEqualTo(before);
        assertThat(threadsLeftBehind(threadsBefore)).as("the private cell's and its clients' threads end with it").isEmpty();
    }

    /** Threads started since {@code before} still alive after a grace period (Jetty's and the loop's end asynchronously). */
    private static List<String> threadsLeftBehind(Set<Thread> before) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName).filter(n -> !n.startsWith("ForkJoinPool.commonPool")).sorted().toList();
            if (left.isEmpty()) return left;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return left;
            }
        } while (System.nanoTime() < deadline);
        return left;
    }

    @Test
    void aReplicaStartedWithoutAWarmUpRemovesTheLeftoverOfAnEarlierOne() throws IOException {
        Path leftover = dir.resolve(WarmUp.DIRECTORY).resolve("replica-2");
        Files.createDirectories(leftover);
        Files.writeString(leftover.resolve("identity.properties"), "cell=warm-up\n");
        Files.writeString(dir.resolve("identity.properties"), "cell=real\n");

        WarmUp.beforeJoining(0, dir);

        assertThat(dir.resolve(WarmUp.DIRECTORY)).doesNotExist();
        assertThat(dir.resolve("identity.properties")).as("the replica's own data stays").hasContent("cell=real\n");
    }

    @Test
    void aWarmUpThatCannotStartSaysWhyAndReturns() throws IOException {
        Path blocked = dir.resolve("a-file");
        Files.writeString(blocked, "not a directory");

        WarmUp.Outcome o = WarmUp.run(300, blocked.resolve(WarmUp.DIRECTORY));

        assertThat(o.failure()).contains("dataDir");
        assertThat(o.cycles()).isZero();
        assertThat(blocked).hasContent("not a directory");
    }

    @Test
    void aPickedPortTakenBeforeItIsBoundCostsAnAttemptNotTheWarmUp() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicInteger picks = new AtomicInteger();
            // The first attempt's last peer port is taken, as a peer's outgoing connection took one in a CI run.
            WarmUp.Outcome o = WarmUp.run(50, dir.resolve(WarmUp.DIRECTORY),
                () -> picks.incrementAndGet() == 6 ? taken.getLocalPort() : WarmUp.freePort());

            assertThat(o.failure()).isNull();
            assertThat(o.cycles()).isGreaterThanOrEqualTo(50);
            assertThat(picks).as("a second attempt, on fresh ports").hasValue(12);
            assertThat(dir.resolve(WarmUp.DIRECTORY)).doesNotExist();
        }
    }

    @Test
    void portsTakenOnEveryAttemptFailTheWarmUpAfterItsAttempts() throws IOException {
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicInteger picks = new AtomicInteger();
            WarmUp.Outcome o = WarmUp.run(50, dir.resolve(WarmUp.DIRECTORY),
                () -> picks.incrementAndGet() % 6 == 0 ? taken.getLocalPort() : WarmUp.freePort());

            assertThat(o.failure()).contains("cannot listen").contains(String.valueOf(taken.getLocalPort()));
            assertThat(o.cycles()).isZero();
            assertThat(picks).hasValue(6 * WarmUp.START_ATTEMPTS);
            assertThat(dir.resolve(WarmUp.DIRECTORY)).doesNotExist();
        }
        assertThat(threadsLeftBehind(threadsBefore)).as("every attempt's servers were stopped").isEmpty();
    }

    @Test
    void theFlagTakesACountAndIsRemovedFromTheArguments() {
        List<String> args = new ArrayList<>(List.of("--config", "c.json", ConfigLoader.WARM_UP_FLAG, "2500", "--id", "2"));
        assertThat(WardenServer.takeWarmUpCycles(args)).isEqualTo(2500);
        assertThat(args).containsExactly("--config", "c.json", "--id", "2");
        assertThat(WardenServer.takeWarmUpCycles(new ArrayList<>(List.of("--config", "c.json")))).isZero();
        for (String bad : List.of("many", "-1", "2000000")) {
            assertThatThrownBy(() -> WardenServer.takeWarmUpCycles(new ArrayList<>(List.of(ConfigLoader.WARM_UP_FLAG, bad))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ConfigLoader.WARM_UP_FLAG).hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> WardenServer.takeWarmUpCycles(new ArrayList<>(List.of("--config", "c.json", ConfigLoader.WARM_UP_FLAG))))
            .isInstanceOf(ConfigException.class).hasMessageContaining("not nothing");
    }
}
