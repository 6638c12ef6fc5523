package io.warden.server.transport;

import io.warden.paxos.Message;
import io.warden.paxos.WireCodec;
import io.warden.server.config.Member;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing half of the link to one peer: a bounded queue, and one writer thread
 * ({@code warden-peer-out-N}) that owns a persistent TCP connection (TLS over it, with
 * {@link PeerTls}), connecting lazily on the first message and again after a failure, with
 * exponential back-off.
 *
 * <p>On a plain link the sender writes a message itself when nothing is queued before it and the
 * socket takes the whole frame at once: a Paxos round then wakes no writer thread on either side
 * (on two busy cores each wake-up is a context switch on the round's path). The socket is
 * non-blocking, so a peer that stops reading (paused, partitioned) never stalls the sender: what
 * the socket does not take goes to the writer thread, ahead of anything queued after it. TLS
 * links always go through the writer thread (an {@code SSLSocket} only blocks).
 *
 * <p>Threading: {@link #offer} from any thread, never blocking; {@link #close} from any thread;
 * connecting, batches and the idle probe run on the writer thread. While the peer is known
 * unreachable (between a failed connect and the next attempt) messages are dropped rather than
 * queued: they would be stale by the time they arrive, and Paxos retransmits what still matters.
 */
final class PeerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
    private static final int BUFFER_BYTES = 64 * 1024;
    /** A batch buffer grown past this (a huge frame) is not kept for the next batch. */
    private static final int KEEP_BUFFER_BYTES = 1 << 20;
    /** At most this many frames per flush, so a sender that never pauses still gets flushed. */
    private static final int MAX_BATCH = 4096;
    /** How long the writer waits for work before probing an idle connection for a close by the peer. */
    private static final long IDLE_PROBE_MILLIS = 100;
    /** Queued after a direct write the socket took only part of: wakes the writer to send the rest. */
    private static final Object FLUSH_REST = new Object();

    private final Member self;
    private final Member peer;
    private final PeerTls tls;
    private final Handshake handshake;
    private final TcpTransportOptions options;
    private final TransportCounters counters;
    /** {@link Message}s, and {@link #FLUSH_REST}: a wake-up for the writer to send {@link #rest}. */
    private final BlockingQueue<Object> queue;
    private final List<Object> batch = new ArrayList<>();
    /** Held while bytes go to the socket: by the writer for a batch, by a sender for a direct write. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Queue entries not yet written or dropped; a sender writes directly only when this is 0. */
    private final AtomicInteger unwritten = new AtomicInteger();
    private final AtomicBoolean started = new AtomicBoolean();
    private final Thread writer;
    private volatile boolean closed;
    private volatile boolean backingOff;
    private volatile boolean connected;
    /** The plain TCP socket: closing it ends the connection at once, TLS or not. */
    private volatile Socket socket;
    /** A plain link's non-blocking channel (null with TLS or while disconnected); under {@link #writeLock}. */
    private SocketChannel channel;
    /** What the socket did not take of a direct write: sent before anything else; under {@link #writeLock}. */
    private ByteBuffer rest;
    /** Where a plain link's writer waits for the socket to take more; writer thread only. */
    private Selector writable;
    /** A TLS link's socket and its stream (null on a plain link); writer thread only. */
    private Socket tlsSocket;
    private OutputStream tlsOut;
    /** The batch being framed, and its view for the codec; writer thread only. */
    private Bytes pendingBytes = new Bytes();
    private DataOutputStream pending = new DataOutputStream(pendingBytes);
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

    /** Writes {@code m} now, or queues it, or counts it dropped; starts the writer on first use. Never blocks. */
    void offer(Message m) {
        if (closed || backingOff) {
            counters.messagesDropped.increment();
            return;
        }
        if (connected && tls == null && unwritten.get() == 0 && writeLock.tryLock()) {
            try {
                if (writeDirectly(m)) return;
            } finally {
                writeLock.unlock();
            }
        }
        unwritten.incrementAndGet();
        if (!queue.offer(m)) {
            unwritten.decrementAndGet();
            counters.messagesDropped.increment();
            return;
        }
        if (!started.get() && started.compareAndSet(false, true)) writer.start();
    }

    /**
     * Under {@link #writeLock}: writes {@code m}'s frame to the non-blocking socket if nothing is
     * queued before it. True when {@code m} is dealt with (written, its rest left for the writer to
     * send before anything else, or dropped); false when it must be queued after what is.
     */
    private boolean writeDirectly(Message m) {
        SocketChannel ch = channel;
        if (ch == null || !ch.isOpen() || rest != null || unwritten.get() != 0) return false;
        byte[] frame = encode(m);
        if (frame == null) return true;
        ByteBuffer bytes = ByteBuffer.allocate(Integer.BYTES + frame.length).putInt(frame.length).put(frame).flip();
        try {
            ch.write(bytes);
        } catch (IOException e) {
            // Lost with the connection; the writer finds the socket closed and reconnects.
            counters.messagesDropped.increment();
            closeQuietly(socket);
            return true;
        }
        counters.messagesSent.increment();
        counters.bytesSent.add(bytes.limit());
        if (bytes.hasRemaining()) {
            // The socket is full (the peer reads slowly or not at all): the writer finishes this frame
            // before anything else, even what another sender queued meanwhile.
            rest = bytes;
            unwritten.incrementAndGet();
            if (!queue.offer(FLUSH_REST)) unwritten.decrementAndGet(); // the queue is full: the writer is awake anyway
        }
        return true;
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
                Object first = queue.poll(IDLE_PROBE_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (connected) probeForClose();
                } else if (connected || connect()) {
                    writeBatch(first);
                } else {
                    dropUnwritten(List.of(first));
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
        // A plain link is a channel, so that senders can write without blocking; TLS needs a blocking socket.
        Socket s;
        try {
            s = tls == null ? SocketChannel.open().socket() : new Socket();
        } catch (IOException e) {
            return connectFailed(e);
        }
        socket = s;
        try {
            if (closed) throw new IOException("transport closed");
            // Bound to our own address, so a firewall rule on that address cuts exactly our links.
            s.bind(new InetSocketAddress(self.host(), 0));
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(peer.host(), peer.peerPort()), options.connectTimeoutMillis());
            pendingBytes.reset();
            handshake.writeTo(pending);
            if (tls == null) {
                SocketChannel ch = s.getChannel();
                ch.configureBlocking(false);
                writable = Selector.open();
                ch.register(writable, SelectionKey.OP_WRITE);
                writeLock.lock();
                try {
                    channel = ch;
                    flushPending(); // the handshake, before any sender may write a frame
                } finally {
                    writeLock.unlock();
                }
            } else { // the handshake goes with the first batch: one syscall
                s.setSoTimeout(1); // only the idle probe reads
                tlsSocket = tls.connect(s, peer); // a bounded handshake, on this writer thread
                tlsOut = tlsSocket.getOutputStream();
            }
            connectedAtNanos = System.nanoTime();
            connected = true;
            reportedFailure = null;
            LOG.info("connected to peer {} at {} from {}", peer.id(), s.getRemoteSocketAddress(), s.getLocalSocketAddress());
            return true;
        } catch (IOException | RuntimeException e) {
            disconnect();
            return connectFailed(e);
        }
    }

    private boolean connectFailed(Exception e) {
        counters.connectionFailures.increment();
        if (!closed && !e.toString().equals(reportedFailure)) {
            LOG.warn("cannot connect to peer {} at {}:{}: {}", peer.id(), peer.host(), peer.peerPort(), e.toString());
            reportedFailure = e.toString();
        }
        return false;
    }

    private void writeBatch(Object first) throws InterruptedException {
        batch.clear();
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        int written = 0;
        long bytes = 0;
        IOException lost = null;
        writeLock.lock();
        try {
            if (rest != null) { // already counted as sent
                pendingBytes.write(rest.array(), rest.position(), rest.remaining());
                rest = null;
            }
            for (Object o : batch) {
                if (o == FLUSH_REST) continue;
                byte[] frame = encode((Message) o);
                if (frame == null) continue;
                pending.writeInt(frame.length);
                pending.write(frame);
                written++;
                bytes += Integer.BYTES + frame.length;
            }
            flushPending();
            counters.messagesSent.add(written);
            counters.bytesSent.add(bytes);
        } catch (IOException e) {
            counters.messagesDropped.add(written); // lost with the connection
            lost = e;
        } finally {
            unwritten.addAndGet(-batch.size());
            writeLock.unlock();
        }
        if (lost != null) connectionLost(lost);
    }

    /** Sends the framed batch: all of it, waiting for the socket to take it on a plain link. */
    private void flushPending() throws IOException {
        try {
            if (tlsOut != null) {
                tlsOut.write(pendingBytes.array(), 0, pendingBytes.size());
                tlsOut.flush();
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(pendingBytes.array(), 0, pendingBytes.size());
            while (b.hasRemaining()) {
                if (channel.write(b) > 0) continue;
                if (closed) throw new IOException("transport closed");
                writable.select(IDLE_PROBE_MILLIS);
                writable.selectedKeys().clear();
            }
        } finally {
            if (pendingBytes.array().length > KEEP_BUFFER_BYTES) {
                pendingBytes = new Bytes();
                pending = new DataOutputStream(pendingBytes);
            } else {
                pendingBytes.reset();
            }
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
            int got;
            if (tlsSocket != null) {
                got = tlsSocket.getInputStream().read();
            } else {
                got = channel.read(ByteBuffer.allocate(1)); // a channel a sender closed throws here
                if (got == 0) return; // still open
            }
            connectionLost(new EOFException(got < 0 ? "closed by peer" : "unexpected byte from peer"));
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
            List<Object> dropped = new ArrayList<>();
            queue.drainTo(dropped);
            dropUnwritten(dropped);
            Thread.sleep(backoffMillis);
        } finally {
            backingOff = false;
        }
        backoffMillis = Math.min(backoffMillis * 2, options.reconnectBackoffMaxMillis());
    }

    /** Queue entries given up on: the messages among them count as dropped. */
    private void dropUnwritten(List<Object> entries) {
        for (Object o : entries) if (o instanceof Message) counters.messagesDropped.increment();
        unwritten.addAndGet(-entries.size());
    }

    private void disconnect() {
        connected = false;
        writeLock.lock();
        try {
            channel = null;
            rest = null; // a frame's tail means nothing on the next connection
        } finally {
            writeLock.unlock();
        }
        closeQuietly(writable);
        writable = null;
        tlsOut = null;
        tlsSocket = null;
        pendingBytes.reset();
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

    /** A byte buffer whose array the batch is sent from without a copy. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(BUFFER_BYTES);
        }

        byte[] array() {
            return buf;
        }
    }
}
