package io.warden.jepsen.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warden.client.RetryPolicy;
import io.warden.client.WardenClient;
import io.warden.jepsen.nemesis.Firewall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * A client whose master is cut off from the other replicas (but not from the client) must find
 * the master the others elect. The isolated replica answers 503 "no master is known" once its lease
 * runs out; a client that kept retrying it stalled for the whole partition (found by a 10-minute
 * Jepsen run: 70 s without an answer). Needs root and iptables, like the partition nemesis.
 */
class IsolatedMasterClientTest {

    @Test
    void aClientLeavesAnIsolatedMasterForTheOneTheOthersElect() throws Exception {
        Optional<String> iptables = Firewall.locate("iptables");
        assumeTrue(iptables.isPresent(), "iptables not found");
        Path dir = Files.createTempDirectory(Path.of("target"), "isolated-master-");
        try (Cell cell = Cell.create(dir, CellSpec.fast(3, 0.05), ServerClasspath.resolve(null))) {
            try (Firewall firewall = Firewall.system(iptables.get(), cell.ports())) {
                Optional<String> broken = firewall.probe(cell.host(1), cell.host(2));
                assumeTrue(broken.isEmpty(), () -> "iptables cannot cut links here: " + broken.orElse(""));
                cell.startAll();
                cell.awaitServing(Duration.ofSeconds(30));
                int old = awaitMaster(cell);

                // The client knows the old master first (it is first in its list and answers first).
                List<String> endpoints = new ArrayList<>();
                endpoints.add(cell.url(old));
                for (int i = 1; i <= cell.size(); i++) {
                    if (i != old) endpoints.add(cell.url(i));
                }
                try (WardenClient client = WardenClient.builder().endpoints(endpoints.toArray(String[]::new))
                        .requestTimeout(Duration.ofSeconds(1))
                        .retryPolicy(new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(20)))
                        .build()) {
                    client.sessions(); // served by the master: the client now knows the old one

                    for (int i = 1; i <= cell.size(); i++) {
                        if (i != old) {
                            firewall.drop(new Firewall.Link(cell.host(old), cell.host(i)));
                            firewall.drop(new Firewall.Link(cell.host(i), cell.host(old)));
                        }
                    }
                    long start = System.nanoTime();
                    // A write needs the master: it succeeds only at a master the majority elected.
                    var session = client.newSession(Duration.ofSeconds(10));
                    long took = (System.nanoTime() - start) / 1_000_000;
                    assertThat(cell.master()).as("the majority's master").isPresent().isNotEqualTo(OptionalInt.of(old));
                    assertThat(took).as("ms until served during the partition").isLessThan(10_000);
                    session.close();
                }
            }
        }
    }

    private static int awaitMaster(Cell cell) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            OptionalInt m = cell.master();
            if (m.isPresent()) return m.getAsInt();
            Thread.sleep(100);
        }
        throw new AssertionError("no master");
    }
}
