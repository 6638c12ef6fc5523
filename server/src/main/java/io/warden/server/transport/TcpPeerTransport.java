package io.warden.server.transport;

import io.warden.paxos.Message;
import io.warden.server.config.Member;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PeerTransport} over TCP, plain or with mutual TLS ({@link PeerTls}): one persistent outgoing connection per peer, each with a
 * bounded queue drained by its own writer thread, which batches a burst into one flush; and a
 * listener on {@code self.host():self.peerPort()} with a reader thread per accepted connection.
 *
 * <p>Every connection opens with a {@link Handshake} (magic, version, cell name, sender id) that the
 * acceptor checks; then {@code [int length][WireCodec message]} frames. Outgoing sockets are bound
 * to {@code self.host()} before connecting, so a firewall rule on one replica's address cuts that
 * replica's links even when the whole cell runs on one machine (127.0.0.11, .12, ...).
 *
 * <p>Threading and errors: {@link #send} never blocks and never throws: it drops (and counts) a
 * message when the peer's queue is full, the peer is unknown, the peer is in reconnect back-off, or
 * the transport is not running (before {@link #start}, after {@link #close}). Messages to ourselves
 * are dropped too: the replica delivers those in-process.
 * The inbound consumer is called on reader threads, concurrently for different peers.
 * {@link #start} throws {@link UncheckedIOException} when the peer port cannot be bound.
 * {@link #close} is idempotent and returns within about a second. All threads are daemons.
 */
public final class TcpPeerTransport implements PeerTransport {
    private static final Logger LOG = LoggerFactory.getLogger(TcpPeerTransport.class);
    private static final long CLOSE_WAIT_MILLIS = 900;

    private final String cellName;
    private final int selfId;
    private final Member self;
    private final Set<Integer> memberIds;
    private final TcpTransportOptions options;
    private final PeerTls tls;
    private final TransportCounters counters = new TransportCounters();
    private final Map<Integer, PeerConnection> peers = new TreeMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile PeerListener listener;

    public TcpPeerTransport(String cellName, int selfId, Member self, List<Member> members, TcpTransportOptions options) {
        this(cellName, selfId, self, members, options, null);
    }

    /** With {@code tls} (null: plain TCP), every link is mutual TLS and each end's member identity is checked. */
    public TcpPeerTransport(String cellName, int selfId, Member self, List<Member> members, TcpTransportOptions options, PeerTls tls) {
        this.tls = tls;
        this.cellName = Objects.requireNonNull(cellName, "cellName");
        this.selfId = selfId;
        this.self = Objects.requireNonNull(self, "self");
        this.options = Objects.requireNonNull(options, "options");
        if (self.id() != selfId) throw new IllegalArgumentException("self.id() " + self.id() + " != selfId " + selfId);
        Set<Integer> ids = new HashSet<>();
        for (Member m : members) {
            if (!ids.add(m.id())) throw new IllegalArgumentException("duplicate member id " + m.id());
        }
        if (!ids.contains(selfId)) throw new IllegalArgumentException("selfId " + selfId + " is not among the members " + ids);
        this.memberIds = Set.copyOf(ids);
        Handshake hello = new Handshake(cellName, selfId);
        for (Member m : members) {
            if (m.id() != selfId) peers.put(m.id(), new PeerConnection(self, m, tls, hello, options, counters));
        }
    }

    public TcpPeerTransport(String cellName, Member self, List<Member> members) {
        this(cellName, self.id(), self, members, TcpTransportOptions.defaults());
    }

    @Override
    public void start(Consumer<Message> inbound) {
        Objects.requireNonNull(inbound, "inbound");
        if (closed.get()) throw new IllegalStateException("transport closed");
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("transport already started");
        PeerListener l = new PeerListener(self, cellName, memberIds, options, counters, inbound, tls);
        try {
            l.start();
        } catch (IOException e) {
            started.set(false); // nothing is running: the caller may fix the address and retry
            throw new UncheckedIOException("replica " + selfId + " cannot listen for peers on "
                + self.host() + ":" + self.peerPort(), e);
        }
        listener = l;
        if (closed.get()) l.close(); // close() raced with us
    }

    @Override
    public void send(Message m) {
        try {
            PeerConnection peer = m == null ? null : peers.get(m.to());
            if (peer == null || !started.get() || closed.get()) {
                // Messages to ourselves are delivered in-process by the replica; others are mistakes.
                counters.messagesDropped.increment();
                if (m != null && m.to() != selfId) LOG.debug("dropping {}: not a peer or not running", m);
                return;
            }
            peer.offer(m);
        } catch (RuntimeException e) {
            counters.messagesDropped.increment();
            LOG.error("send failed; message dropped", e);
        }
    }

    @Override
    public boolean connected(int peerId) {
        PeerConnection peer = peers.get(peerId);
        return peer != null && peer.connected();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        PeerListener l = listener;
        if (l != null) l.close();
        for (PeerConnection p : peers.values()) p.close();
        try {
            for (PeerConnection p : peers.values()) p.join((deadline - System.nanoTime()) / 1_000_000);
            if (l != null) l.join(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("replica {} peer transport closed", selfId);
    }

    public long messagesSent() { return counters.messagesSent.sum(); }
    public long messagesReceived() { return counters.messagesReceived.sum(); }
    /** Outgoing messages given up: queue full, peer unknown or unreachable, lost with a broken connection. */
    public long messagesDropped() { return counters.messagesDropped.sum(); }
    /** Inbound messages discarded because {@code from}/{@code to} did not match the connection. */
    public long messagesRejected() { return counters.messagesRejected.sum(); }
    public long bytesSent() { return counters.bytesSent.sum(); }
    public long bytesReceived() { return counters.bytesReceived.sum(); }
    /** Failed outgoing connects plus established outgoing connections lost. */
    public long connectionFailures() { return counters.connectionFailures.sum(); }
    /** Inbound connections closed for a bad handshake or a bad frame. */
    public long connectionsRefused() { return counters.connectionsRefused.sum(); }

    public TcpTransportOptions options() { return options; }
}
