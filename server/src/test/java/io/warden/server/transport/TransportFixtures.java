package io.warden.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.warden.paxos.Ballot;
import io.warden.paxos.Command;
import io.warden.paxos.Configuration;
import io.warden.paxos.Message;
import io.warden.paxos.Snapshot;
import io.warden.paxos.Value;
import io.warden.paxos.WireCodec;
import io.warden.server.config.Member;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Loopback members, one sample of every message kind, and bounded waiting: no sleeps-and-hope. */
final class TransportFixtures {
    static final String CELL = "test-cell";

    private TransportFixtures() {}

    /** Reads one {@code [int length][WireCodec message]} frame off a raw peer connection, as a replica would. */
    static Message readFrame(DataInputStream in) throws IOException {
        int length = in.readInt();
        assertThat(length).as("a frame's length").isBetween(1, 1 << 20);
        byte[] frame = new byte[length];
        in.readFully(frame);
        return WireCodec.decodeMessage(frame);
    }

    /** A port free on {@code host} a moment ago (bind to 0, read it, close). */
    static int freePort(String host) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Member {@code id} on 127.0.0.1{id}, e.g. 1 on 127.0.0.11, with a fresh peer port. */
    static Member member(int id) {
        String host = "127.0.0.1" + id;
        return new Member(id, host, 0, freePort(host));
    }

    static TcpPeerTransport transport(Member self, List<Member> members, TcpTransportOptions options) {
        return new TcpPeerTransport(CELL, self.id(), self, members, options);
    }

    /** One of each {@link Message} kind, with non-trivial payloads, from {@code from} to {@code to}. */
    static List<Message> everyKind(int from, int to) {
        Ballot b = new Ballot(7, from);
        Value batch = new Value.Batch(List.of(
            new Command(42, 1, "acquire /ls/cell/lock".getBytes(StandardCharsets.UTF_8)),
            new Command(0, 0, new byte[0])));
        Value reconfigure = new Value.Reconfigure(Configuration.of(1, 2, 3));
        return List.of(
            new Message.Prepare(from, to, b, 5),
            new Message.Promise(from, to, b, List.of(
                new Message.AcceptedEntry(5, b, batch, false),
                new Message.AcceptedEntry(6, new Ballot(3, 2), Value.NOOP, true),
                new Message.AcceptedEntry(7, b, reconfigure, false)), 4),
            new Message.Reject(from, to, b, new Ballot(9, 3)),
            new Message.Accept(from, to, b, 8, batch, 7),
            new Message.Accepted(from, to, b, 8),
            new Message.LeaseRenew(from, to, b, 12, 7),
            new Message.LeaseGrant(from, to, b, 12),
            new Message.CatchUpRequest(from, to, 3),
            new Message.CatchUp(from, to, List.of(new Message.DecidedEntry(3, batch), new Message.DecidedEntry(4, Value.NOOP))),
            new Message.InstallSnapshot(from, to, new Snapshot(100, new byte[] {1, 2, 3, -128, 127})));
    }

    /** An Accept carrying one command of {@code payloadBytes}: the common case on a busy cell. */
    static Message accept(int from, int to, long slot, int payloadBytes) {
        Value v = new Value.Batch(List.of(new Command(1, slot, new byte[payloadBytes])));
        return new Message.Accept(from, to, new Ballot(1, from), slot, v, slot - 1);
    }

    /** Waits up to {@code timeoutMillis} for {@code condition}; fails naming {@code what} otherwise. */
    static void awaitTrue(String what, long timeoutMillis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out after " + timeoutMillis + " ms waiting for " + what);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    /** The next {@code n} messages from {@code inbox}, failing if they do not all come within the deadline. */
    static List<Message> take(BlockingQueue<Message> inbox, int n, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<Message> got = new ArrayList<>(n);
        while (got.size() < n) {
            Message m = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) fail("received " + got.size() + " of " + n + " messages within " + timeoutMillis + " ms");
            got.add(m);
        }
        return got;
    }

    static BlockingQueue<Message> inbox() {
        return new LinkedBlockingQueue<>();
    }

    /** Asserts the other end closes {@code socket} (FIN or RST) within a few seconds. */
    static void assertClosedByPeer(Socket socket) throws IOException {
        socket.setSoTimeout(3_000);
        InputStream in = socket.getInputStream();
        try {
            assertThat(in.read()).as("read after the peer should have closed").isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            fail("the transport did not close the connection");
        } catch (SocketException e) {
            // reset: closed with our bytes unread, which is as closed as it gets
        }
    }
}
