package io.warden.jepsen.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line: defaults, every option, nemesis groups, and the errors a user sees. */
class RunOptionsTest {

    @Test
    void defaults() {
        RunOptions o = RunOptions.parse("--workload", "lock");
        assertThat(o.nemeses()).containsExactly(List.of("partition"), List.of("kill"), List.of("pause"), List.of("clock"));
        assertThat(o.combine()).isTrue();
        assertThat(o.timeLimit()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.replicas()).isEqualTo(3);
        assertThat(o.concurrency()).isEqualTo(10);
        assertThat(o.store()).isNull();
        assertThat(o.iptables()).isEqualTo("iptables");
        assertThat(o.driftBound()).isEqualTo(0.01);
        assertThat(o.clockBeyondBound()).isFalse();
        assertThat(o.nemesisSpec()).isEqualTo("mix(partition,kill,pause,clock)");
    }

    @Test
    void everyOption() {
        RunOptions o = RunOptions.parse("--workload", "register", "--nemesis", "partition+clock,kill", "--time-limit",
                "2.5", "--replicas", "5", "--concurrency", "4", "--store", "/tmp/s", "--seed", "42", "--iptables",
                "/sbin/iptables", "--drift-bound", "0.05", "--clock", "beyond", "--ops-per-worker", "9",
                "--nemesis-quiet", "3", "--server-classpath", "a:b", "--keep-data");
        assertThat(o.workload()).isEqualTo("register");
        assertThat(o.nemeses()).containsExactly(List.of("partition", "clock"), List.of("kill"));
        assertThat(o.combine()).isFalse();
        assertThat(o.nemesisKinds()).containsExactly("partition", "clock", "kill");
        assertThat(o.nemesisSpec()).isEqualTo("partition+clock,kill");
        assertThat(o.timeLimit()).isEqualTo(Duration.ofMillis(2500));
        assertThat(o.replicas()).isEqualTo(5);
        assertThat(o.concurrency()).isEqualTo(4);
        assertThat(o.store()).hasToString("/tmp/s");
        assertThat(o.seed()).isEqualTo(42);
        assertThat(o.iptables()).isEqualTo("/sbin/iptables");
        assertThat(o.driftBound()).isEqualTo(0.05);
        assertThat(o.clockBeyondBound()).isTrue();
        assertThat(o.opsPerWorker()).isEqualTo(9);
        assertThat(o.nemesisQuiet()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.serverClasspath()).isEqualTo("a:b");
        assertThat(o.keepData()).isTrue();
    }

    @Test
    void noneMeansNoNemesis() {
        assertThat(RunOptions.parse("--workload", "election", "--nemesis", "none").nemeses()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--nemesis mix                        | --workload is required",
        "--workload queue                     | --workload must be one of",
        "--workload lock --nemesis flood      | unknown nemesis flood",
        "--workload lock --replicas 0         | --replicas must be 1 to 9",
        "--workload lock --time-limit 0       | --time-limit must be positive",
        "--workload lock --concurrency x      | --concurrency needs an integer, got x",
        "--workload lock --clock sideways     | --clock must be within or beyond",
        "--workload lock --frobnicate 1       | unknown option --frobnicate",
        "--workload lock --seed               | --seed needs a value",
        "--workload lock stray                | unexpected argument stray",
    })
    void mistakesAreNamed(String args, String message) {
        assertThatThrownBy(() -> RunOptions.parse(args.trim().split("\\s+")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void helpIsAskedFor() {
        assertThatThrownBy(() -> RunOptions.parse("--workload", "lock", "--help")).isInstanceOf(RunOptions.HelpRequested.class);
        assertThat(RunOptions.HELP).contains("--workload", "--nemesis", "--time-limit", "--replicas", "--concurrency",
                "--store", "--seed", "valid=true|false");
    }

    @Test
    void mainPrintsHelpAndRefusesBadUsage() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        try (java.io.PrintStream o = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
             java.io.PrintStream e = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8)) {
            assertThat(JepsenMain.run(new String[] {"--help"}, o, e)).isZero();
            assertThat(JepsenMain.run(new String[] {"--workload", "nope"}, o, e)).isEqualTo(2);
        }
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).startsWith("usage: bin/warden-jepsen");
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("--workload must be one of");
    }
}
