package io.warden.server.transport;

import static io.warden.server.transport.TransportFixtures.CELL;
import static io.warden.server.transport.TransportFixtures.accept;
import static io.warden.server.transport.TransportFixtures.awaitTrue;
import static io.warden.server.transport.TransportFixtures.member;
import static io.warden.server.transport.TransportFixtures.readFrame;
import static io.warden.server.transport.TransportFixtures.transport;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.paxos.Message;
import io.warden.server.config.Member;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the dialing side puts on the wire, seen by a raw server socket playing replica 2 on
 * 127.0.0.12: the connection comes from the sender's own address, opens with the handshake,
 * and carries length-prefixed WireCodec frames.
 */
class OutgoingConnectionTest {
    @Test
    void theOutgoingSocketIsBoundToTheSendersAddressAndSpeaksTheProtocol() throws Exception {
        Member one = member(1);
        try (ServerSocket fakePeer = new ServerSocket()) {
            fakePeer.bind(new InetSocketAddress("127.0.0.12", 0));
            Member two = new Member(2, "127.0.0.12", 0, fakePeer.getLocalPort());
            List<Member> members = List.of(one, two);
            try (TcpPeerTransport sender = transport(one, members, TcpTransportOptions.defaults())) {
                sender.start(m -> { });
                Message sent = accept(1, 2, 5, 100);
                sender.send(sent);
                fakePeer.setSoTimeout(3_000);
                try (Socket accepted = fakePeer.accept()) {
                    // A firewall rule on 127.0.0.11 must see this connection as 127.0.0.11's.
                    assertThat(accepted.getInetAddress()).isEqualTo(InetAddress.getByName("127.0.0.11"));
                    accepted.setSoTimeout(3_000);
                    DataInputStream in = new DataInputStream(new BufferedInputStream(accepted.getInputStream()));
                    assertThat(Handshake.readFrom(in)).isEqualTo(new Handshake(CELL, 1));
                    assertThat(readFrame(in)).isEqualTo(sent);
                    awaitTrue("connected(2)", 1_000, () -> sender.connected(2));
                }
                awaitTrue("the closed connection is noticed", 3_000, () -> !sender.connected(2));
            }
        }
    }
}
