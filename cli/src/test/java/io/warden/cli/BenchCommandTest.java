package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code warden bench} runs each workload for a second or two against a real local cell, so the tool
 * cannot rot: each must report real figures in the peers' columns, with nothing lost. Bounded: the
 * whole class takes well under a minute on a quiet machine.
 */
@ExtendWith(LocalCell.Shared.class)
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCell cell;

    @BeforeAll
    static void connect(LocalCell shared) {
        cell = shared;
    }

    private static JsonNode bench(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("bench", "-o", "json", "--endpoints", cell.endpoints, "--warmup", "0", "--duration", "1"));
        all.addAll(List.of(args));
        Cli.Result r = Cli.run(all.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("settings").asText()).contains("backend=warden", "duration=1s");
        return doc;
    }

    @Test
    @Timeout(60)
    void uncontendedCyclesAreCountedAndTimed() throws Exception {
        JsonNode doc = bench("--workload", "w1", "--clients", "2");
        JsonNode row = doc.get("rows").get(0);
        assertThat(row.get("workload").asText()).isEqualTo("w1");
        assertThat(row.get("param").asText()).isEqualTo("C=2");
        assertThat(row.get("ops").asLong()).isPositive();
        assertThat(row.get("cycle_p50_ms").asDouble()).isPositive().isLessThanOrEqualTo(row.get("cycle_max_ms").asDouble());
        assertThat(row.get("errors").asLong()).isZero();
        assertThat(doc.get("summary").get(0).asText()).startsWith("w1 C=2: ").contains(" cycles/s");
    }

    @Test
    @Timeout(60)
    void contendedHandoffsReportFairness() throws Exception {
        JsonNode doc = bench("--workload", "w2", "--clients", "3");
        JsonNode row = doc.get("rows").get(0);
        assertThat(row.get("ops").asLong()).isPositive();
        assertThat(row.get("max_per_client").asLong()).isPositive();
        assertThat(row.get("fairness_min_over_max").asDouble()).isBetween(0.0, 1.0);
        assertThat(doc.get("summary").get(0).asText()).contains(" handoffs/s", "fairness");
    }

    @Test
    @Timeout(90)
    void sessionsAreHeldAliveWhileTheProbeRuns(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("results.jsonl");
        JsonNode doc = bench("--workload", "w3", "--sessions", "50", "--hold", "2", "--creators", "4", "--connections", "2",
            "--out", results.toString());
        JsonNode level = doc.get("rows").get(1);
        assertThat(level.get("param").asText()).isEqualTo("sessions=50");
        assertThat(level.get("created").asInt()).isEqualTo(50);
        assertThat(level.get("alive").asInt()).isEqualTo(50);
        assertThat(level.get("probe_n").asInt()).isPositive();
        assertThat(level.get("probe_fail").asInt()).isZero();
        assertThat(doc.get("summary").get(0).asText()).contains("50 sessions alive of 50 created");
        // The peer harness's results format: one flat JSON object a line, ours tagged backend=warden.
        List<String> lines = Files.readAllLines(results);
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.get(1)).get("backend").asText()).isEqualTo("warden");
    }

    @Test
    @Timeout(120)
    void aKilledMasterIsReplacedAndTheSessionSurvives() throws Exception {
        JsonNode doc = bench("--workload", "w4", "--trials", "1", "--cell-dir", cell.dir.toString(),
            "--base-port", Integer.toString(cell.basePort));
        JsonNode trial = doc.get("rows").get(0);
        assertThat(trial.get("recovery_ms").asDouble()).isPositive().isLessThan(60_000);
        assertThat(trial.get("new_leader_node").asInt()).isNotEqualTo(trial.get("killed_node").asInt());
        assertThat(trial.get("session_state").asText()).isEqualTo("SAFE");
        assertThat(trial.get("healthy_after").asBoolean()).isTrue();
        assertThat(trial.get("settings").asText()).contains("cell-warm-up=2500"); // the restarted replica warmed up as cell up's did
        String log = Files.readString(cell.dir.resolve("replica-" + trial.get("killed_node").asInt()).resolve("server.log"));
        // Each start warmed up (fewer than 2,500 cycles is a warm-up that reached its time limit on a slow machine).
        assertThat(log.split("warm-up: [1-9][0-9]* lock cycles in", -1)).as("the restart appended to the replica's log: " + log)
            .hasSizeGreaterThanOrEqualTo(3);
        assertThat(log).doesNotContain("warm-up stopped");
        assertThat(doc.get("summary").get(0).asText()).startsWith("w4: failover median ");
    }

    @Test
    void theFailoverWorkloadNeedsToKnowTheReplicasPids() {
        Cli.Result r = Cli.run("bench", "--endpoints", cell.endpoints, "--workload", "w4");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--cell-up or --cell-dir");
    }
}
