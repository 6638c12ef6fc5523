package io.warden.jepsen.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.jepsen.history.JsonlHistoryReader;
import io.warden.jepsen.history.Op;
import io.warden.jepsen.report.FaultWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where iptables cannot be used, the partition nemesis is reported skipped, with the reason, and
 * never pretended: no partition op in the history, no partition window, while the other nemeses
 * still run. Simulated by pointing it at an iptables binary that does not exist.
 */
class PartitionSkippedTest {

    @Test
    void partitionIsReportedSkippedNeverFaked() throws Exception {
        RunOptions options = RunOptions.parse("--workload", "lock", "--nemesis", "partition,kill", "--time-limit", "6",
                "--replicas", "3", "--concurrency", "3", "--seed", "7", "--nemesis-quiet", "1",
                "--iptables", "/nonexistent/iptables", "--store", Path.of("target", "jepsen-store").toString());
        RunResult r = new JepsenRun(options, System.out).run();

        assertThat(r.nemesis().skipped()).containsEntry("partition", "iptables not found at /nonexistent/iptables");
        assertThat(r.nemesis().injected()).doesNotContainKey("partition").containsKey("kill");
        assertThat(r.nemesis().injected().get("kill")).isPositive();
        assertThat(r.faults()).extracting(FaultWindow::kind).containsOnly("kill");
        List<Op> history = JsonlHistoryReader.read(r.dir().resolve("history.jsonl"));
        assertThat(history).extracting(Op::f).doesNotContain("start-partition", "stop-partition");
        assertThat(Files.readString(r.dir().resolve("results.json")))
                .contains("\"skipped\" : {", "\"partition\" : \"iptables not found at /nonexistent/iptables\"");
        assertThat(r.valid()).isTrue();
    }
}
