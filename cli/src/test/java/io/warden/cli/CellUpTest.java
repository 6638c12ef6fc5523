package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/warden cell up}: its replicas' warm-up, and where it must refuse. */
@ExtendWith(LocalCell.Shared.class)
class CellUpTest {
    /**
     * A second cell on the ports of one already running: its replicas could not bind, yet the
     * running cell's master would answer the launcher's wait, and a benchmark or a person would
     * use the wrong cell. The launcher refuses before it starts anything.
     */
    @Test
    void refusesPortsAnotherCellHoldsAndStartsNothing(LocalCell running, @TempDir Path dir) throws Exception {
        Path log = dir.resolve("up.log");
        Path cellDir = dir.resolve("second");
        int code = LocalCell.runLauncher(log, "cell", "up", "--dir", cellDir.toString(), "--base-port", Integer.toString(running.basePort));

        String out = Files.readString(log);
        assertThat(code).as(out).isNotZero();
        assertThat(out).contains("port " + running.basePort + " on 127.0.0.1 is in use");
        assertThat(cellDir.resolve("replica-1").resolve("pid")).doesNotExist();
        assertThat(cellDir.resolve("endpoints")).doesNotExist();
    }

    /**
     * The shared cell was started with the launcher's defaults: each replica warmed up, then cleaned up after itself.
     * Fewer than 2,500 cycles is a warm-up that reached its time limit on a slow machine, which is not a failure.
     */
    @Test
    void eachReplicaWarmedUpBeforeJoiningAndLeftNoWarmUpDataBehind(LocalCell running) throws Exception {
        for (int i = 1; i <= 3; i++) {
            Path replica = running.dir.resolve("replica-" + i);
            assertThat(Files.readString(replica.resolve("server.log"))).contains("warm-up: 2500 lock cycles through a private 3-replica cell")
                .containsPattern("warm-up: [1-9][0-9]* lock cycles in [0-9]+ ms").doesNotContain("warm-up stopped");
            assertThat(replica.resolve("data").resolve("warm-up")).doesNotExist();
        }
    }

    @Test
    void aWarmUpCountThatIsNotOneStopsTheLauncherWithTheReplicasConfigurationError(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("up.log");
        int code = LocalCell.runLauncher(log, "cell", "up", "--dir", dir.resolve("cell").toString(),
            "--base-port", Integer.toString(LocalCell.freeBasePort()), "--warm-up-cycles", "lots");

        String out = Files.readString(log);
        assertThat(code).as(out).isNotZero();
        assertThat(out).contains("exited", "--warm-up-cycles: needs a number of lock cycles from 0 to 1000000, not 'lots'");
    }
}
