package io.warden.server.transport;

import io.warden.paxos.Message;
import io.warden.server.config.Member;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound half: a server socket on {@code self.host():self.peerPort()}, an accept thread
 * ({@code warden-peer-listen-N}) and one {@link InboundConnection} thread per accepted socket.
 * At most one connection per authenticated peer is kept: a newer one (the peer reconnected,
 * perhaps after a restart that left the old one half-open) replaces the older.
 */
final class PeerListener {
    private static final Logger LOG = LoggerFactory.getLogger(PeerListener.class);
    private static final int BACKLOG = 64;
    /** Pause after an unexpected accept failure (e.g. out of file descriptors), so we do not spin. */
    private static final long ACCEPT_RETRY_MILLIS = 50;

    private final Member self;
    private final String cellName;
    private final Set<Integer> memberIds;
    private final TcpTransportOptions options;
    private final TransportCounters counters;
    private final Consumer<Message> inbound;
    private final PeerTls tls;
    private final Set<InboundConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<Integer, InboundConnection> bySender = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private ServerSocket server;
    private Thread acceptor;

    PeerListener(Member self, String cellName, Set<Integer> memberIds, TcpTransportOptions options,
                 TransportCounters counters, Consumer<Message> inbound, PeerTls tls) {
        this.self = self;
        this.cellName = cellName;
        this.memberIds = Set.copyOf(memberIds);
        this.options = options;
        this.counters = counters;
        this.inbound = inbound;
        this.tls = tls;
    }

    /** Binds the server socket (throwing if the address is taken) and starts accepting. */
    void start() throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(self.host(), self.peerPort()), BACKLOG);
        } catch (IOException | RuntimeException e) {
            PeerConnection.closeQuietly(s);
            throw e;
        }
        server = s;
        acceptor = new Thread(this::acceptLoop, "warden-peer-listen-" + self.id());
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("replica {} of cell '{}' listening for peers on {}{}", self.id(), cellName, s.getLocalSocketAddress(),
            tls == null ? "" : " (mutual TLS)");
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                InboundConnection c = new InboundConnection(this, socket);
                connections.add(c);
                if (closed) c.close();
                c.start();
            } catch (IOException e) {
                if (closed) return;
                LOG.warn("accepting a peer connection on {} failed: {}", server.getLocalSocketAddress(), e.toString());
                if (!pause()) return;
            }
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(ACCEPT_RETRY_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Called by a connection whose handshake passed: it becomes the one connection from its sender. */
    void adopt(int senderId, InboundConnection c) {
        InboundConnection previous = bySender.put(senderId, c);
        if (previous != null && previous != c) previous.close();
    }

    void forget(InboundConnection c) {
        connections.remove(c);
        bySender.values().remove(c);
    }

    void close() {
        closed = true;
        PeerConnection.closeQuietly(server);
        if (acceptor != null) acceptor.interrupt();
        for (InboundConnection c : connections) c.close();
    }

    /** Waits for the listener's threads to end, until {@code deadlineNanos} (a {@link System#nanoTime} instant). */
    void join(long deadlineNanos) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        if (acceptor != null) threads.add(acceptor);
        for (InboundConnection c : connections) threads.add(c.thread());
        for (Thread t : threads) {
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) return;
            t.join(left);
        }
    }

    int selfId() { return self.id(); }
    String cellName() { return cellName; }
    Set<Integer> memberIds() { return memberIds; }
    TcpTransportOptions options() { return options; }
    TransportCounters counters() { return counters; }
    Consumer<Message> inbound() { return inbound; }
    /** Mutual TLS for accepted connections, or null for plain TCP. */
    PeerTls tls() { return tls; }
}
