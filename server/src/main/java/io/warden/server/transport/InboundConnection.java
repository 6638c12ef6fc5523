package io.warden.server.transport;

import io.warden.paxos.Message;
import io.warden.paxos.WireCodec;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted peer connection and the thread ({@code warden-peer-in-N}) that reads it: first the
 * {@link Handshake}, then {@code [int length][message bytes]} frames, each decoded with
 * {@link WireCodec} and handed to the inbound consumer. A bad handshake, an oversized frame or an
 * undecodable one closes the connection (the peer reconnects); a message that claims to be from
 * someone other than the handshake's sender, or addressed to someone other than us, is dropped.
 */
final class InboundConnection {
    private static final Logger LOG = LoggerFactory.getLogger(InboundConnection.class);
    private static final int BUFFER_BYTES = 64 * 1024;
    /** A connection that has not introduced itself by then is not a peer. */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 5_000;

    private final PeerListener listener;
    private final Socket socket;
    private final SocketAddress remote;
    private final Thread thread;
    private volatile boolean closed;

    InboundConnection(PeerListener listener, Socket socket) {
        this.listener = listener;
        this.socket = socket;
        this.remote = socket.getRemoteSocketAddress();
        this.thread = new Thread(this::run, "warden-peer-in-" + remote);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    void close() {
        closed = true;
        PeerConnection.closeQuietly(socket);
    }

    private void run() {
        try {
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            socket.setKeepAlive(true);
            PeerTls tls = listener.tls();
            Socket io = socket;
            if (tls != null) {
                try {
                    io = tls.accept(socket);
                } catch (IOException e) {
                    refuse("TLS handshake failed (" + e + ")");
                    return;
                }
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(io.getInputStream(), BUFFER_BYTES));
            Handshake hello;
            try {
                hello = Handshake.readFrom(in);
            } catch (IOException e) {
                refuse("unreadable handshake (" + e + ")");
                return;
            }
            String refusal = hello.refusal(listener.cellName(), listener.selfId(), listener.memberIds());
            if (refusal == null && tls != null) {
                String why = tls.refusal((SSLSocket) io, hello.senderId());
                if (why != null) refusal = "it claims to be member " + hello.senderId() + ", but " + why;
            }
            if (refusal != null) {
                refuse(refusal);
                return;
            }
            socket.setSoTimeout(0);
            thread.setName("warden-peer-in-" + hello.senderId());
            listener.adopt(hello.senderId(), this);
            LOG.info("accepted peer {} from {}", hello.senderId(), remote);
            readFrames(in, hello.senderId());
        } catch (IOException e) {
            if (!closed) LOG.info("peer connection from {} ended: {}", remote, e.toString());
        } finally {
            close();
            listener.forget(this);
        }
    }

    private void readFrames(DataInputStream in, int senderId) throws IOException {
        int maxFrameBytes = listener.options().maxFrameBytes();
        TransportCounters counters = listener.counters();
        boolean rejectionReported = false;
        while (!closed) {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                return; // the peer closed between frames: a clean end
            }
            if (length <= 0 || length > maxFrameBytes) {
                refuse("frame of " + length + " bytes from peer " + senderId + " outside 1.." + maxFrameBytes);
                return;
            }
            byte[] frame = new byte[length];
            in.readFully(frame);
            counters.bytesReceived.add(Integer.BYTES + length);
            Message m;
            try {
                m = decode(frame);
            } catch (IOException | RuntimeException e) {
                refuse("undecodable frame of " + length + " bytes from peer " + senderId + " (" + e + ")");
                return;
            }
            if (m.from() != senderId || m.to() != listener.selfId()) {
                counters.messagesRejected.increment();
                if (!rejectionReported) reportRejection(m, senderId);
                rejectionReported = true;
                continue;
            }
            counters.messagesReceived.increment();
            deliver(m);
        }
    }

    /** Once per connection: a peer that lies about who it is, or misroutes, does so again and again. */
    private void reportRejection(Message m, int senderId) {
        LOG.warn("dropping {} from {} to {} on the connection of peer {} (we are {})",
            m.getClass().getSimpleName(), m.from(), m.to(), senderId, listener.selfId());
    }

    private static Message decode(byte[] frame) throws IOException {
        ByteArrayInputStream bytes = new ByteArrayInputStream(frame);
        Message m = WireCodec.readMessage(new DataInputStream(bytes));
        if (bytes.available() > 0) throw new IOException(bytes.available() + " trailing bytes after the message");
        return m;
    }

    private void deliver(Message m) {
        try {
            listener.inbound().accept(m);
        } catch (RuntimeException e) {
            LOG.error("the inbound consumer failed on {}", m, e);
        }
    }

    private void refuse(String why) {
        listener.counters().connectionsRefused.increment();
        LOG.warn("closing peer connection from {}: {}", remote, why);
        close();
    }
}
