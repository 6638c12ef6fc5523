package io.warden.paxos.storage;

import io.warden.paxos.Ballot;
import io.warden.paxos.Value;
import io.warden.paxos.WireCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What {@link DurablePaxosStorage} writes to its write-ahead log, one record per persisted fact.
 * Payloads use {@link WireCodec}; the record type is the log record's type byte.
 */
sealed interface LogRecord {
    byte PROMISE = 1;
    byte ACCEPTED = 2;
    byte DECIDED = 3;

    /** The acceptor promised {@code ballot}: it takes part in no lower ballot. */
    record Promise(Ballot ballot) implements LogRecord {}

    /** The acceptor accepted {@code value} in {@code slot} at {@code ballot}. */
    record Accepted(long slot, Ballot ballot, Value value) implements LogRecord {}

    /** The replica learned {@code value} decided in {@code slot}. */
    record Decided(long slot, Value value) implements LogRecord {}

    default byte type() {
        if (this instanceof Promise) return PROMISE;
        if (this instanceof Accepted) return ACCEPTED;
        return DECIDED;
    }

    default byte[] payload() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (this instanceof Promise p) {
                WireCodec.writeBallot(out, p.ballot());
            } else if (this instanceof Accepted a) {
                out.writeLong(a.slot());
                WireCodec.writeBallot(out, a.ballot());
                WireCodec.writeValue(out, a.value());
            } else if (this instanceof Decided d) {
                out.writeLong(d.slot());
                WireCodec.writeValue(out, d.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory encoding cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a record whose CRC matched. A failure here is not a torn write but a format mismatch
     * or a bug, so it is an error rather than the end of the log.
     */
    static LogRecord decode(byte type, byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        LogRecord r = switch (type) {
            case PROMISE -> new Promise(WireCodec.readBallot(in));
            case ACCEPTED -> new Accepted(readSlot(in), WireCodec.readBallot(in), WireCodec.readValue(in));
            case DECIDED -> new Decided(readSlot(in), WireCodec.readValue(in));
            default -> throw new IOException("unknown log record type " + type);
        };
        if (in.available() != 0) throw new IOException("trailing bytes after a log record of type " + type);
        return r;
    }

    private static long readSlot(DataInputStream in) throws IOException {
        long slot = in.readLong();
        if (slot < 0) throw new IOException("negative slot " + slot);
        return slot;
    }
}
