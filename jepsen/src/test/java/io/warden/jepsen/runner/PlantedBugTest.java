package io.warden.jepsen.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.jepsen.checker.CheckResult;
import io.warden.jepsen.checker.Validity;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline bites on a real cell: with a bug planted in the workload (an unfenced
 * resource, and lock holders that write on after their client was cut off from the cell), the
 * run must be found invalid, the lock checker naming the stale writes, and the exit line must say
 * so. No nemesis is needed: the zombie's session expires on its own.
 */
class PlantedBugTest {

    @Test
    void aZombieLockHolderWritingToAnUnfencedResourceIsCaught() throws Exception {
        RunOptions options = RunOptions.parse("--workload", "lock", "--nemesis", "none", "--time-limit", "12",
                "--replicas", "3", "--concurrency", "4", "--seed", "5", "--planted-bug", "zombie-holder",
                "--store", Path.of("target", "jepsen-store").toString());
        RunResult r = new JepsenRun(options, System.out).run();

        CheckResult lock = r.check("lock");
        assertThat(lock.valid()).isEqualTo(Validity.INVALID);
        assertThat(lock.anomalies("stale-write")).isNotEmpty();
        assertThat(lock.anomalies("stale-write").get(0).message()).contains("the resource accepted token");
        assertThat(r.valid()).isFalse();
        assertThat(r.lastLine()).startsWith("valid=false ");
        assertThat(Files.readString(r.dir().resolve("results.json")))
                .contains("\"valid\" : false", "\"kind\" : \"stale-write\"", "\"plantedBug\" : \"zombie-holder\"");
    }
}
