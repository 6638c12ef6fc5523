package io.warden.jepsen.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The iptables commands the firewall and the partition nemesis issue, on a pretend iptables. */
class FirewallTest {
    private final List<String> commands = new ArrayList<>();

    private Firewall firewall() {
        return new Firewall("/usr/sbin/iptables", List.of(7001, 7101, 7002, 7102), command -> {
            commands.add(String.join(" ", command));
            return "";
        });
    }

    @Test
    void rulesLiveInAChainOfTheirOwnScopedToTheCellsPorts() throws Exception {
        Firewall fw = firewall();
        fw.drop(new Firewall.Link("127.0.0.11", "127.0.0.12"));
        fw.drop(new Firewall.Link("127.0.0.11", "127.0.0.12")); // idempotent
        String chain = fw.chain();
        assertThat(chain).startsWith("WARDEN-JEPSEN-").hasSizeLessThanOrEqualTo(28);
        assertThat(commands).containsExactly(
                "/usr/sbin/iptables -w -N " + chain,
                "/usr/sbin/iptables -w -I OUTPUT 1 -j " + chain,
                "/usr/sbin/iptables -w -I INPUT 1 -j " + chain,
                "/usr/sbin/iptables -w -A " + chain + " -p tcp -s 127.0.0.11 -d 127.0.0.12 -m multiport --ports "
                        + "7001,7101,7002,7102 -j DROP");
        commands.clear();
        fw.healAll();
        assertThat(commands).containsExactly("/usr/sbin/iptables -w -F " + chain);
        assertThat(fw.dropped()).isEmpty();
    }

    @Test
    void closeRemovesTheJumpsAndTheChain() throws Exception {
        Firewall fw = new Firewall("ipt", List.of(1), command -> {
            String c = String.join(" ", command);
            if (c.contains(" -D ") && commands.contains(c)) {
                throw new IOException("no such rule"); // the jump was there once
            }
            commands.add(c);
            return "";
        });
        fw.drop(new Firewall.Link("127.0.0.12", "127.0.0.11"));
        commands.clear();
        fw.close();
        String chain = fw.chain();
        assertThat(commands).containsExactly("ipt -w -D OUTPUT -j " + chain, "ipt -w -D INPUT -j " + chain,
                "ipt -w -F " + chain, "ipt -w -X " + chain);
        commands.clear();
        fw.close();
        assertThat(commands).as("closing twice does nothing").isEmpty();
    }

    @Test
    void onlyLoopbackAddressesMayBeCut() {
        assertThatThrownBy(() -> new Firewall.Link("10.0.0.1", "127.0.0.12")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Firewall.Link("127.0.0.11", "192.168.1.2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingBinaryIsNotFound() {
        assertThat(Firewall.locate("/nonexistent/iptables")).isEmpty();
        assertThat(Firewall.locate("no-such-iptables-binary")).isEmpty();
    }

    @Test
    void partitionWithoutIptablesIsUnavailableAndRefusesToInject() {
        FakeReplicas cell = new FakeReplicas(3);
        PartitionNemesis p = PartitionNemesis.on(cell, "/nonexistent/iptables");
        assertThat(p.unavailable()).contains("iptables not found at /nonexistent/iptables");
        assertThatThrownBy(() -> p.inject(new SplittableRandom(1))).isInstanceOf(NemesisException.class)
                .hasMessageContaining("iptables not found");
        assertThat(cell.actions).isEmpty();
    }

    @Test
    void partitionModesCutTheRightLinks() {
        FakeReplicas five = new FakeReplicas(5);
        five.master = 3;
        PartitionNemesis p = new PartitionNemesis(five, firewall(), "iptables");
        SplittableRandom r = new SplittableRandom(5);
        List<Firewall.Link> isolate = p.links("isolate-master", r);
        assertThat(isolate).hasSize(8).allMatch(l -> l.from().equals("127.0.0.13") || l.to().equals("127.0.0.13"));
        List<Firewall.Link> halves = p.links("halves", r);
        assertThat(halves).hasSize(2 * 2 * 3); // 2 x 3 pairs, both ways
        List<Firewall.Link> oneWay = p.links("one-way", r);
        assertThat(oneWay).hasSize(4);
        assertThat(oneWay.stream().allMatch(l -> l.from().equals("127.0.0.13"))
                || oneWay.stream().allMatch(l -> l.to().equals("127.0.0.13"))).isTrue();
        List<Firewall.Link> ring = p.links("ring", r);
        assertThat(ring).hasSize(2 * 5); // of the 10 pairs of a 5-ring, the 5 non-neighbours, both ways
        assertThat(ring).noneMatch(l -> l.from().equals("127.0.0.11") && l.to().equals("127.0.0.12"))
                .anyMatch(l -> l.from().equals("127.0.0.11") && l.to().equals("127.0.0.13"));
    }
}
