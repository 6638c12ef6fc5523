package io.warden.server.transport;

import java.util.concurrent.atomic.LongAdder;

/** The transport's monotonic counters, shared by its connections; read them for metrics. */
final class TransportCounters {
    final LongAdder messagesSent = new LongAdder();
    final LongAdder messagesReceived = new LongAdder();
    /** Outgoing messages given up: queue full, peer unreachable or in back-off, unknown peer, lost in a broken write. */
    final LongAdder messagesDropped = new LongAdder();
    /** Inbound messages discarded: {@code from} not the handshake's sender, or {@code to} not us. */
    final LongAdder messagesRejected = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    /** Failed outgoing connects plus established outgoing connections lost. */
    final LongAdder connectionFailures = new LongAdder();
    /** Inbound connections closed for a bad handshake, an oversized or undecodable frame. */
    final LongAdder connectionsRefused = new LongAdder();
}
