package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for bugs found in the replica loop while building the REST API: each once
 * stopped the whole replica on one bad request.
 */
class ReplicaLoopBugsTest {
    /**
     * {@code ReplicaLoop.keepAlive} runs {@code MasterDuties.keepAlive} on the loop's thread and lets
     * its SessionGoneException escape the task instead of failing the returned future; the loop
     * treats any exception as a storage failure and halts the process (exit 70). One KeepAlive for
     * an unknown or expiring session stops the master. Run in a child JVM, so only it halts.
     */
    @Test
    void aKeepAliveForAnUnknownSessionFailsItsFutureAndTheReplicaKeepsServing() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), KeepAliveProbe.class.getName()))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as(out).isTrue();
        assertThat(p.exitValue()).as("the replica halted (70 = the loop's halt):%n%s", out).isZero();
        assertThat(out).contains("PROBE: keepAlive failed with SessionGoneException").contains("PROBE: the replica still serves");
    }
}
