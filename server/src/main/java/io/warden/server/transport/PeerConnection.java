package io.warden.server.transport;

import io.warden.paxos.Message;
import io.warden.paxos.WireCodec;
import io.warden.server.config.Member;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing half of the link to one peer: a bounded queue, and one writer thread
 * ({@code warden-peer-out-N}) that owns a persistent TCP connection (TLS over it, with
 * {@link PeerTls}), connecting lazily on the first message and again after a failure, with
 * exponential back-off.
 *
 * <p>Threading: {@link #offer} from any thread, never blocking; {@link #close} from any thread;
 * everything else runs on the writer thread. While the peer is known unreachable (between a failed
 * connect and the next attempt) messages are dropped rather than queued: they would be stale by
 * the time they arrive, and Paxos retransmits what still matters.
 */
final class PeerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
    private static final int BUFFER_BYTES = 64 * 1024;
    /** At most this many frames per flush, so a sender that never pauses still gets flushed. */
    private static final int MAX_BATCH = 4096;
    /** How long the writer waits for work before probing an idle connection for a close by the peer. */
    private static final long IDLE_PROBE_MILLIS = 100;

    private final Member self;
    private final Member peer;
    private final PeerTls tls;
    private final Handshake handshake;
    private final TcpTransportOptions options;
    private final TransportCounters counters;
    private final BlockingQueue<Message> queue;
    private final List<Message> batch = new ArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final Thread writer;
    private volatile boolean closed;
    private volatile boolean backingOff;
    private volatile boolean connected;
    /** The plain TCP socket: closing it ends the connection at once, TLS or not. */
    private volatile Socket socket;
    /** What we read and write: {@link #socket}, or the TLS socket layered over it. */
    private Socket io;
    private DataOutputStream out;
    private long backoffMillis;
    private long connectedAtNanos;
    /** The connect failure last logged (null once connected): a new reason is logged, a repeated one is not. */
    private String reportedFailure;

    PeerConnection(Member self, Member peer, PeerTls tls, Handshake handshake, TcpTransportOptions options, TransportCounters counters) {
        this.self = self;
        this.peer = peer;
        this.tls = tls;
        this.handshake = handshake;
        this.options = options;
        this.counters = counters;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.backoffMillis = options.reconnectBackoffMinMillis();
        this.writer = new Thread(this::run, "warden-peer-out-" + peer.id());
        this.writer.setDaemon(true);
    }

    /** Queues {@code m}, or counts it dropped; starts the writer on first use. Never blocks. */
    void offer(Message m) {
        if (closed || backingOff || !queue.offer(m)) {
            counters.messagesDropped.increment();
            return;
        }
        if (!started.get() && started.compareAndSet(false, true)) writer.start();
    }

    boolean connected() {
        return connected;
    }

    /** Stops the writer and closes the connection; returns at once (see {@link #join}). */
    void close() {
        closed = true;
        closeQuietly(socket);
        writer.interrupt();
    }

    void join(long millis) throws InterruptedException {
        if (started.get()) writer.join(Math.max(1, millis));
    }

    private void run() {
        try {
            while (!closed) {
                Message first = queue.poll(IDLE_PROBE_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (out != null) probeForClose();
                } else if (out != null || connect()) {
                    writeBatch(first);
                } else {
                    counters.messagesDropped.increment();
                    backOff();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close() asked us to stop
        } finally {
            disconnect();
        }
    }

    private boolean connect() {
        Socket s = new Socket();
        socket = s;
        try {
            if (closed) throw new IOException("transport closed");
            // Bound to our own address, so a firewall rule on that address cuts exactly our links.
            s.bind(new InetSocketAddress(self.host(), 0));
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.setSoTimeout(1); // only the idle probe reads
            s.connect(new InetSocketAddress(peer.host(), peer.peerPort()), options.connectTimeoutMillis());
            io = tls == null ? s : tls.connect(s, peer); // a bounded handshake, on this writer thread
            out = new DataOutputStream(new BufferedOutputStream(io.getOutputStream(), BUFFER_BYTES));
            handshake.writeTo(out); // flushed with the first batch: one syscall
            connectedAtNanos = System.nanoTime();
            connected = true;
            reportedFailure = null;
            LOG.info("connected to peer {} at {} from {}", peer.id(), s.getRemoteSocketAddress(), s.getLocalSocketAddress());
            return true;
        } catch (IOException | RuntimeException e) {
            disconnect();
            counters.connectionFailures.increment();
            if (!closed && !e.toString().equals(reportedFailure)) {
                LOG.warn("cannot connect to peer {} at {}:{}: {}", peer.id(), peer.host(), peer.peerPort(), e.toString());
                reportedFailure = e.toString();
            }
            return false;
        }
    }

    private void writeBatch(Message first) throws InterruptedException {
        batch.clear();
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        int written = 0;
        int skipped = 0;
        long bytes = 0;
        try {
            for (Message m : batch) {
                byte[] frame = encode(m);
                if (frame == null) {
                    skipped++;
                    continue;
                }
                out.writeInt(frame.length);
                out.write(frame);
                written++;
                bytes += Integer.BYTES + frame.length;
            }
            out.flush();
            counters.messagesSent.add(written);
            counters.bytesSent.add(bytes);
        } catch (IOException e) {
            counters.messagesDropped.add(batch.size() - skipped); // lost with the connection
            connectionLost(e);
        }
    }

    /** The message's bytes, or {@code null} (counted dropped) when it cannot be framed. */
    private byte[] encode(Message m) {
        try {
            byte[] frame = WireCodec.encodeMessage(m);
            if (frame.length <= options.maxFrameBytes()) return frame;
            LOG.warn("dropping {} to peer {}: {} bytes exceed maxFrameBytes {}",
                m.getClass().getSimpleName(), peer.id(), frame.length, options.maxFrameBytes());
        } catch (RuntimeException e) {
            LOG.error("dropping unencodable message to peer {}: {}", peer.id(), m, e);
        }
        counters.messagesDropped.increment();
        return null;
    }

    /** The peer never writes on this connection, so end-of-stream (or any byte) means it is gone. */
    private void probeForClose() throws InterruptedException {
        try {
            int b = io.getInputStream().read();
            connectionLost(new EOFException(b < 0 ? "closed by peer" : "unexpected byte from peer"));
        } catch (SocketTimeoutException e) {
            // still open
        } catch (IOException e) {
            connectionLost(e);
        }
    }

    private void connectionLost(IOException cause) throws InterruptedException {
        long upMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectedAtNanos);
        disconnect();
        if (closed) return;
        counters.connectionFailures.increment();
        LOG.warn("lost connection to peer {} after {} ms: {}", peer.id(), upMillis, cause.toString());
        // A connection that dies young (e.g. the peer refuses our handshake) counts as a failed
        // attempt, so a misconfigured peer is not hammered; after a long one, reconnect at once.
        if (upMillis < options.reconnectBackoffMaxMillis()) {
            backOff();
        } else {
            backoffMillis = options.reconnectBackoffMinMillis();
        }
    }

    private void backOff() throws InterruptedException {
        backingOff = true;
        try {
            while (queue.poll() != null) counters.messagesDropped.increment();
            Thread.sleep(backoffMillis);
        } finally {
            backingOff = false;
        }
        backoffMillis = Math.min(backoffMillis * 2, options.reconnectBackoffMaxMillis());
    }

    private void disconnect() {
        connected = false;
        out = null;
        io = null;
        closeQuietly(socket);
        socket = null;
    }

    static void closeQuietly(Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("ignored error on close: {}", e.toString());
        }
    }
}
