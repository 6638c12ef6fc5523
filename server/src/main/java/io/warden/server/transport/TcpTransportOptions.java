package io.warden.server.transport;

/**
 * Tuning of {@link TcpPeerTransport}; {@link #defaults()} suits a cell on a LAN.
 *
 * @param queueCapacity               messages buffered per peer; {@code send} drops beyond this
 * @param connectTimeoutMillis        how long one outgoing connect may take
 * @param reconnectBackoffMinMillis   the first pause after a failed connect (doubles per failure)
 * @param reconnectBackoffMaxMillis   the longest pause between connect attempts
 * @param maxFrameBytes               a longer frame closes the connection (and is never sent)
 */
public record TcpTransportOptions(
    int queueCapacity,
    int connectTimeoutMillis,
    long reconnectBackoffMinMillis,
    long reconnectBackoffMaxMillis,
    int maxFrameBytes) {

    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 500;
    public static final long DEFAULT_BACKOFF_MIN_MILLIS = 100;
    public static final long DEFAULT_BACKOFF_MAX_MILLIS = 2_000;
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 << 20;

    public TcpTransportOptions {
        if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity must be >= 1, got " + queueCapacity);
        if (connectTimeoutMillis < 1) throw new IllegalArgumentException("connectTimeoutMillis must be >= 1, got " + connectTimeoutMillis);
        if (reconnectBackoffMinMillis < 1) throw new IllegalArgumentException("reconnectBackoffMinMillis must be >= 1, got " + reconnectBackoffMinMillis);
        if (reconnectBackoffMaxMillis < reconnectBackoffMinMillis) {
            throw new IllegalArgumentException("reconnectBackoffMaxMillis must be >= reconnectBackoffMinMillis, got "
                + reconnectBackoffMaxMillis + " < " + reconnectBackoffMinMillis);
        }
        if (maxFrameBytes < 64) throw new IllegalArgumentException("maxFrameBytes must be >= 64, got " + maxFrameBytes);
    }

    public static TcpTransportOptions defaults() {
        return new TcpTransportOptions(DEFAULT_QUEUE_CAPACITY, DEFAULT_CONNECT_TIMEOUT_MILLIS,
            DEFAULT_BACKOFF_MIN_MILLIS, DEFAULT_BACKOFF_MAX_MILLIS, DEFAULT_MAX_FRAME_BYTES);
    }

    public TcpTransportOptions withQueueCapacity(int capacity) {
        return new TcpTransportOptions(capacity, connectTimeoutMillis, reconnectBackoffMinMillis,
            reconnectBackoffMaxMillis, maxFrameBytes);
    }

    public TcpTransportOptions withReconnectBackoffMillis(long minMillis, long maxMillis) {
        return new TcpTransportOptions(queueCapacity, connectTimeoutMillis, minMillis, maxMillis, maxFrameBytes);
    }
}
