package io.warden.server.transport;

import static io.warden.server.transport.TransportFixtures.accept;
import static io.warden.server.transport.TransportFixtures.awaitTrue;
import static io.warden.server.transport.TransportFixtures.everyKind;
import static io.warden.server.transport.TransportFixtures.inbox;
import static io.warden.server.transport.TransportFixtures.member;
import static io.warden.server.transport.TransportFixtures.take;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.client.TlsOptions;
import io.warden.paxos.Message;
import io.warden.server.config.Member;
import io.warden.server.it.TestPki;
import io.warden.server.it.TestPki.Issued;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mutual TLS on the peer transport, in-process over 127.0.0.11-13 with real certificates: honest
 * members exchange every message kind; a member holding another member's certificate, one from
 * another CA, or no TLS at all gets nothing through in either direction, and is counted refused.
 */
class TlsPeerTransportTest {
    private final TestPki.Standard pki = TestPki.standard();
    private final List<TcpPeerTransport> running = new ArrayList<>();
    private List<Member> members;

    @BeforeEach
    void members() {
        members = List.of(member(1), member(2), member(3));
    }

    @AfterEach
    void close() {
        running.forEach(TcpPeerTransport::close);
    }

    private TcpPeerTransport start(int id, Issued cert, TestPki ca, BlockingQueue<Message> inbox) {
        PeerTls tls = cert == null ? null : new PeerTls(TlsOptions.trustingCa(ca.caPem())
            .withCertificate(cert.certPem(), cert.keyPem()).sslContext(), TestPki.Standard.CELL);
        TcpPeerTransport t = new TcpPeerTransport(TestPki.Standard.CELL, id, members.get(id - 1), members,
            TcpTransportOptions.defaults().withReconnectBackoffMillis(20, 200), tls);
        t.start(inbox::add);
        running.add(t);
        return t;
    }

    @Test
    void membersWithTheirOwnCertificatesTalk() throws InterruptedException {
        BlockingQueue<Message> in1 = inbox();
        BlockingQueue<Message> in2 = inbox();
        TcpPeerTransport one = start(1, pki.replicas()[1], pki.ca(), in1);
        TcpPeerTransport two = start(2, pki.replicas()[2], pki.ca(), in2);
        everyKind(1, 2).forEach(one::send);
        everyKind(2, 1).forEach(two::send);
        assertThat(take(in2, everyKind(1, 2).size(), 10_000)).containsExactlyElementsOf(everyKind(1, 2));
        assertThat(take(in1, everyKind(2, 1).size(), 10_000)).containsExactlyElementsOf(everyKind(2, 1));
        assertThat(one.connectionsRefused() + two.connectionsRefused()).isZero();
    }

    @Test
    void anotherMembersCertificateIsRefusedBothWays() throws InterruptedException {
        assertImpostorIsShutOut(pki.replicas()[2], pki.ca());
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedBothWays() throws InterruptedException {
        assertImpostorIsShutOut(pki.foreignReplica3(), pki.ca());
    }

    @Test
    void aPeerWithoutTlsIsRefused() throws InterruptedException {
        assertImpostorIsShutOut(null, null);
    }

    /** Member 3 presents {@code cert} (null: plain TCP); member 1 is honest. Nothing passes; 1 counts refusals. */
    private void assertImpostorIsShutOut(Issued cert, TestPki ca) throws InterruptedException {
        BlockingQueue<Message> in1 = inbox();
        BlockingQueue<Message> in3 = inbox();
        TcpPeerTransport one = start(1, pki.replicas()[1], pki.ca(), in1);
        TcpPeerTransport three = start(3, cert, ca, in3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (long slot = 1; System.nanoTime() < deadline; slot++) {
            three.send(accept(3, 1, slot, 16));
            one.send(accept(1, 3, slot, 16));
            Thread.sleep(20);
        }
        awaitTrue("member 1 refuses the impostor's connections", 5_000, () -> one.connectionsRefused() > 0);
        assertThat(in1).as("nothing from the impostor reaches member 1").isEmpty();
        assertThat(in3).as("nothing from member 1 reaches the impostor").isEmpty();
        assertThat(one.connected(3)).isFalse();
    }
}
