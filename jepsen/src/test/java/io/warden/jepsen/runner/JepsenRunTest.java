package io.warden.jepsen.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.jepsen.checker.CheckResult;
import io.warden.jepsen.checker.Validity;
import io.warden.jepsen.history.JsonlHistoryReader;
import io.warden.jepsen.history.Op;
import io.warden.jepsen.report.FaultWindow;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Short real runs, one per workload: a 3-replica cell of real processes under the mixed nemesis
 * (partitions too, where iptables works here), checked. Each must be valid, must have completed
 * operations, and must have really injected faults; together they must have used every nemesis
 * that is available on this machine. About 25 s each.
 *
 * <p>Longer runs are one flag away: {@code -Dwarden.jepsen.seconds=600} (and
 * {@code -Dwarden.jepsen.replicas=5}, {@code -Dwarden.jepsen.concurrency=10}), e.g.
 * {@code mvn -o test -pl jepsen -am -Dtest='io.warden.jepsen.runner.JepsenRunTest' -Dwarden.jepsen.seconds=600
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JepsenRunTest {
    private static final long SECONDS = Long.getLong("warden.jepsen.seconds", 12);
    private static final int REPLICAS = Integer.getInteger("warden.jepsen.replicas", 3);
    private static final int CONCURRENCY = Integer.getInteger("warden.jepsen.concurrency", 5);

    private final Set<String> injected = new TreeSet<>();
    private final Set<String> usable = new TreeSet<>();
    private int runs;

    @Test
    @Order(1)
    void lockWorkloadUnderMixedFaultsIsValid() throws Exception {
        RunResult r = run("lock", 11);
        assertThat(r.check("lock").stats().get("grants")).isPositive();
        assertThat(r.check("lock").stats().get("writes")).isPositive();
    }

    @Test
    @Order(2)
    void registerWorkloadUnderMixedFaultsIsLinearizable() throws Exception {
        RunResult r = run("register", 12);
        assertThat(r.check("linearizability").stats().get("register-ops")).isPositive();
    }

    @Test
    @Order(3)
    void electionWorkloadUnderMixedFaultsIsValid() throws Exception {
        RunResult r = run("election", 13);
        assertThat(r.check("election").stats().get("leaderships")).isPositive();
    }

    @Test
    @Order(4)
    void membershipWorkloadUnderMixedFaultsIsValid() throws Exception {
        RunResult r = run("membership", 14);
        assertThat(r.check("membership").stats().get("reads")).isPositive();
    }

    @AfterAll
    void everyAvailableNemesisStruck() {
        if (runs == 4) {
            assertThat(injected).as("nemeses that injected faults over the four runs").containsAll(usable);
        }
    }

    private RunResult run(String workload, long seed) throws Exception {
        Path store = Path.of("target", "jepsen-store");
        RunOptions options = RunOptions.parse("--workload", workload, "--nemesis", "mix", "--time-limit",
                String.valueOf(SECONDS), "--replicas", String.valueOf(REPLICAS), "--concurrency",
                String.valueOf(CONCURRENCY), "--seed", String.valueOf(seed), "--nemesis-quiet", "1",
                "--store", store.toString());
        RunResult r = new JepsenRun(options, System.out).run();
        runs++;
        List<String> problems = new ArrayList<>();
        for (CheckResult c : r.checks()) {
            if (c.valid() != Validity.VALID) {
                problems.add(c.checker() + ": " + c.valid().json() + " " + c.anomalies() + " " + c.notes());
            }
        }
        assertThat(problems).as("checkers that did not find %s valid (run in %s)", workload, r.dir()).isEmpty();
        assertThat(r.valid()).isTrue();
        assertThat(r.ok()).as("ok operations").isPositive();
        assertThat(r.lastLine()).matches("valid=true ok=\\d+ fail=\\d+ info=\\d+");

        // Faults really happened: the schedule injected them and the history shows their windows.
        assertThat(r.nemesis().total()).as("faults injected").isGreaterThanOrEqualTo(2);
        assertThat(r.faults()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(r.faults().stream().map(FaultWindow::kind).distinct().count()).isGreaterThanOrEqualTo(2);
        r.faults().forEach(w -> injected.add(w.kind()));
        usable.addAll(r.nemesis().injected().keySet());
        if (r.nemesis().skipped().containsKey("partition")) {
            System.out.println("[test] partition skipped here: " + r.nemesis().skipped().get("partition"));
        }
        assertThat(r.check("cell").valid()).isEqualTo(Validity.VALID);

        // The run directory holds every output, readable.
        Path dir = r.dir();
        for (String f : List.of("history.jsonl", "history.edn", "results.json", "timeline.html", "latency.png",
                "throughput.png")) {
            assertThat(dir.resolve(f)).as(f).isNotEmptyFile();
        }
        List<Op> history = JsonlHistoryReader.read(dir.resolve("history.jsonl"));
        assertThat(history).isNotEmpty();
        assertThat(history.stream().filter(op -> op.f().equals("session-expired") || op.f().equals("open-session")))
                .as("sessions recorded").isNotEmpty();
        assertThat(Files.readString(dir.resolve("results.json"))).contains("\"valid\" : true", "\"checkers\"");
        assertThat(Files.readString(dir.resolve("timeline.html"))).contains("<svg", "fill-opacity=\"0.18\"");
        BufferedImage png = ImageIO.read(dir.resolve("latency.png").toFile());
        assertThat(png.getWidth()).isPositive();
        return r;
    }
}
