package io.warden.server.transport;

import io.warden.paxos.Message;
import java.util.function.Consumer;

/**
 * How replicas of one cell exchange Paxos {@link Message}s.
 *
 * <p>Contract (the core tolerates anything weaker than this, and relies on nothing stronger):
 * {@link #send} never blocks and never throws; a message may be lost, duplicated, delayed or
 * reordered, and is silently dropped when the peer is unreachable or its queue is full.
 * Received messages are handed to the inbound consumer given to {@link #start}, from transport
 * threads; the consumer must be cheap and thread-safe (the replica loop enqueues them).
 * A message whose {@code from} is not the authenticated peer on its connection is dropped.
 */
public interface PeerTransport extends AutoCloseable {
    /** Starts listening and connecting; {@code inbound} receives every message addressed to us. */
    void start(Consumer<Message> inbound);

    /** Queues {@code m} for {@code m.to()}; returns at once. */
    void send(Message m);

    /** Per-peer view for {@code /v1/cell}: is a connection to that member up right now. */
    boolean connected(int peerId);

    @Override
    void close();
}
