package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.server.config.DataDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rule (ListenRule): a replica listens without TLS and authentication only on loopback addresses, unless started
 * with {@code --insecure}, which it announces with a warning. A one-member cell bound to the
 * wildcard address 0.0.0.0 (bound only: no test sends it traffic) is started three ways at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListenRuleTest {
    private static Path dir;
    private static final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("warden-listen-it-");
    }

    @AfterAll
    static void cleanUp() {
        for (Process p : processes) p.destroyForcibly();
        if (dir != null) DataDirectory.deleteTree(dir);
    }

    @Test
    void wildcardWithoutTlsIsRefusedInsecureWarnsAndTlsServes() throws Exception {
        Process plain = start("plain", false, List.of());
        Process insecure = start("insecure", false, List.of("--insecure"));
        Process secure = start("secure", true, List.of());

        assertThat(plain.waitFor(60, TimeUnit.SECONDS)).as("refuses at once: %s", log("plain")).isTrue();
        assertThat(plain.exitValue()).as("%s", log("plain")).isEqualTo(2);
        assertThat(log("plain")).contains("warden server: configuration error: tls: replica 1 would listen on 0.0.0.0")
            .contains("--insecure");

        LocalCell.await(() -> "--insecure serves with a warning: " + log("insecure"), Duration.ofSeconds(60),
            () -> log("insecure").contains("serving") || !insecure.isAlive());
        assertThat(insecure.isAlive()).as("%s", log("insecure")).isTrue();
        assertThat(log("insecure")).contains("WARNING: --insecure: replica 1 serves plain HTTP and plain peer TCP on 0.0.0.0");

        LocalCell.await(() -> "TLS serves: " + log("secure"), Duration.ofSeconds(60),
            () -> log("secure").contains("serving") || !secure.isAlive());
        assertThat(secure.isAlive()).as("%s", log("secure")).isTrue();
        assertThat(log("secure")).doesNotContain("WARNING").contains("https://0.0.0.0");
    }

    private static Process start(String name, boolean tls, List<String> flags) throws IOException {
        ObjectNode c = ReplicaClient.JSON.createObjectNode();
        c.put("cell", "listen-it").put("self", 1).put("dataDir", dir.resolve(name + "-data").toString());
        c.putArray("members").addObject().put("id", 1).put("host", "0.0.0.0").put("clientPort", freePort()).put("peerPort", freePort());
        if (tls) {
            TestPki.Issued cert = TestPki.standard().localhost();
            c.putObject("tls").put("certFile", cert.certPem().toString()).put("keyFile", cert.keyPem().toString())
                .put("caFile", TestPki.standard().ca().caPem().toString());
            c.putObject("auth").put("clientCertificates", true).putArray("admins").add("admin");
        }
        Path config = dir.resolve(name + ".json");
        ReplicaClient.JSON.writeValue(config.toFile(), c);
        List<String> command = new ArrayList<>(LocalCell.serverCommand(config));
        command.addAll(flags);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    private static String log(String name) {
        try {
            Path p = dir.resolve(name + ".log");
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            return s.getLocalPort();
        }
    }
}
