package io.warden.paxos;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one binary encoding of ballots, values, snapshots and messages, used by the write-ahead log
 * and the peer transport alike. Compact, versionless within a release; a decoder rejects what it
 * does not recognise with an {@link IOException} rather than guessing.
 */
public final class WireCodec {
    private static final int MAX_LIST = 1 << 24;
    private static final int MAX_BYTES = 1 << 30;
    private static final int CHUNK = 64 * 1024;
    /** Lists are pre-sized no larger than this, whatever count the wire claims. */
    private static final int PRESIZE = 1024;

    private WireCodec() {}

    public static void writeBallot(DataOutput out, Ballot b) throws IOException {
        out.writeLong(b.round());
        out.writeInt(b.replicaId());
    }

    public static Ballot readBallot(DataInput in) throws IOException {
        long round = in.readLong();
        int id = in.readInt();
        if (round < 0) throw new IOException("negative ballot round");
        return new Ballot(round, id);
    }

    public static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * Reads a length-prefixed byte array. The length comes from the wire, so it is trusted no
     * further than the bytes that actually arrive: reading goes in bounded chunks, and a frame that
     * claims a gigabyte but holds twenty bytes fails with EOF having allocated almost nothing.
     */
    public static byte[] readBytes(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_BYTES) throw new IOException("bad byte-array length " + n);
        if (n <= CHUNK) {
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK);
        byte[] chunk = new byte[CHUNK];
        for (int left = n; left > 0; ) {
            int k = Math.min(left, CHUNK);
            in.readFully(chunk, 0, k);
            out.write(chunk, 0, k);
            left -= k;
        }
        return out.toByteArray();
    }

    private static int readCount(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_LIST) throw new IOException("bad list length " + n);
        return n;
    }

    public static void writeValue(DataOutput out, Value v) throws IOException {
        if (v instanceof Value.Noop) {
            out.writeByte(0);
        } else if (v instanceof Value.Batch b) {
            out.writeByte(1);
            out.writeInt(b.commands().size());
            for (Command c : b.commands()) {
                out.writeLong(c.clientId());
                out.writeLong(c.sequence());
                writeBytes(out, c.payloadView());
            }
        } else if (v instanceof Value.Reconfigure r) {
            out.writeByte(2);
            out.writeInt(r.configuration().members().size());
            for (int id : r.configuration().members()) out.writeInt(id);
        } else {
            throw new IllegalArgumentException("unknown value " + v);
        }
    }

    public static Value readValue(DataInput in) throws IOException {
        int tag = in.readByte();
        switch (tag) {
            case 0: return Value.NOOP;
            case 1: {
                int n = readCount(in);
                if (n == 0) throw new IOException("empty batch");
                List<Command> cs = new ArrayList<>(Math.min(n, PRESIZE));
                for (int i = 0; i < n; i++) {
                    long client = in.readLong();
                    long seq = in.readLong();
                    if (client < 0 || seq < 0) throw new IOException("negative command id");
                    cs.add(new Command(client, seq, readBytes(in)));
                }
                return new Value.Batch(cs);
            }
            case 2: {
                int n = readCount(in);
                List<Integer> ids = new ArrayList<>(Math.min(n, PRESIZE));
                for (int i = 0; i < n; i++) ids.add(in.readInt());
                try {
                    return new Value.Reconfigure(new Configuration(ids));
                } catch (IllegalArgumentException e) {
                    throw new IOException("bad configuration: " + e.getMessage(), e);
                }
            }
            default: throw new IOException("unknown value tag " + tag);
        }
    }

    public static byte[] encodeValue(Value v) {
        return encode(out -> writeValue(out, v));
    }

    public static Value decodeValue(byte[] bytes) throws IOException {
        return readValue(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    public static void writeMessage(DataOutput out, Message m) throws IOException {
        out.writeInt(m.from());
        out.writeInt(m.to());
        if (m instanceof Message.Prepare p) {
            out.writeByte(1); writeBallot(out, p.ballot()); out.writeLong(p.fromSlot());
        } else if (m instanceof Message.Promise p) {
            out.writeByte(2); writeBallot(out, p.ballot()); out.writeLong(p.snapshotSlot());
            out.writeInt(p.accepted().size());
            for (Message.AcceptedEntry e : p.accepted()) {
                out.writeLong(e.slot()); writeBallot(out, e.ballot()); writeValue(out, e.value()); out.writeBoolean(e.decided());
            }
        } else if (m instanceof Message.Reject r) {
            out.writeByte(3); writeBallot(out, r.rejected()); writeBallot(out, r.promised());
        } else if (m instanceof Message.Accept a) {
            out.writeByte(4); writeBallot(out, a.ballot()); out.writeLong(a.slot()); writeValue(out, a.value());
            out.writeLong(a.decidedThrough());
        } else if (m instanceof Message.Accepted a) {
            out.writeByte(5); writeBallot(out, a.ballot()); out.writeLong(a.slot());
        } else if (m instanceof Message.LeaseRenew r) {
            out.writeByte(6); writeBallot(out, r.ballot()); out.writeLong(r.round()); out.writeLong(r.decidedThrough());
        } else if (m instanceof Message.LeaseGrant g) {
            out.writeByte(7); writeBallot(out, g.ballot()); out.writeLong(g.round());
        } else if (m instanceof Message.CatchUpRequest c) {
            out.writeByte(8); out.writeLong(c.fromSlot());
        } else if (m instanceof Message.CatchUp c) {
            out.writeByte(9); out.writeInt(c.decided().size());
            for (Message.DecidedEntry e : c.decided()) { out.writeLong(e.slot()); writeValue(out, e.value()); }
        } else if (m instanceof Message.InstallSnapshot s) {
            out.writeByte(10); out.writeLong(s.snapshot().lastSlot()); writeBytes(out, s.snapshot().state());
        } else {
            throw new IllegalArgumentException("unknown message " + m);
        }
    }

    public static Message readMessage(DataInput in) throws IOException {
        int from = in.readInt();
        int to = in.readInt();
        int tag = in.readByte();
        switch (tag) {
            case 1: return new Message.Prepare(from, to, readBallot(in), in.readLong());
            case 2: {
                Ballot b = readBallot(in);
                long snap = in.readLong();
                int n = readCount(in);
                List<Message.AcceptedEntry> es = new ArrayList<>(Math.min(n, PRESIZE));
                for (int i = 0; i < n; i++) {
                    es.add(new Message.AcceptedEntry(in.readLong(), readBallot(in), readValue(in), in.readBoolean()));
                }
                return new Message.Promise(from, to, b, es, snap);
            }
            case 3: return new Message.Reject(from, to, readBallot(in), readBallot(in));
            case 4: return new Message.Accept(from, to, readBallot(in), in.readLong(), readValue(in), in.readLong());
            case 5: return new Message.Accepted(from, to, readBallot(in), in.readLong());
            case 6: return new Message.LeaseRenew(from, to, readBallot(in), in.readLong(), in.readLong());
            case 7: return new Message.LeaseGrant(from, to, readBallot(in), in.readLong());
            case 8: return new Message.CatchUpRequest(from, to, in.readLong());
            case 9: {
                int n = readCount(in);
                List<Message.DecidedEntry> es = new ArrayList<>(Math.min(n, PRESIZE));
                for (int i = 0; i < n; i++) es.add(new Message.DecidedEntry(in.readLong(), readValue(in)));
                return new Message.CatchUp(from, to, es);
            }
            case 10: {
                long slot = in.readLong();
                if (slot < 0) throw new IOException("negative snapshot slot");
                return new Message.InstallSnapshot(from, to, new Snapshot(slot, readBytes(in)));
            }
            default: throw new IOException("unknown message tag " + tag);
        }
    }

    public static byte[] encodeMessage(Message m) {
        return encode(out -> writeMessage(out, m));
    }

    public static Message decodeMessage(byte[] bytes) throws IOException {
        return readMessage(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    /** Writes something with the codec's primitives; see {@link #encode}. */
    public interface Writer {
        void write(DataOutput out) throws IOException;
    }

    /** Runs {@code w} against an in-memory buffer and returns the bytes. */
    public static byte[] encode(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory encoding cannot fail", e);
        }
        return bytes.toByteArray();
    }
}
