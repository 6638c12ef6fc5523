package io.warden.paxos;

import java.util.Arrays;

/**
 * One client command: opaque to the core except for its identity. {@code (clientId, sequence)}
 * names it uniquely; a retry carries the same pair, and the core applies it at most once
 * (see {@link ExactlyOnce}). {@code clientId} 0 means "no dedup" (internal commands).
 */
public final class Command {
    private final long clientId;
    private final long sequence;
    private final byte[] payload;

    public Command(long clientId, long sequence, byte[] payload) {
        if (clientId < 0 || sequence < 0) throw new IllegalArgumentException("client id and sequence must be >= 0");
        this.clientId = clientId;
        this.sequence = sequence;
        this.payload = payload.clone();
    }

    public long clientId() { return clientId; }
    public long sequence() { return sequence; }
    public byte[] payload() { return payload.clone(); }
    public int payloadLength() { return payload.length; }
    /** The payload without a defensive copy, for encoding and decoding on hot paths; never modify it. */
    public byte[] payloadView() { return payload; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Command c && c.clientId == clientId && c.sequence == sequence
            && Arrays.equals(c.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(clientId) * 31 + Long.hashCode(sequence) * 17 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Command[" + clientId + ":" + sequence + ", " + payload.length + " bytes]";
    }
}
