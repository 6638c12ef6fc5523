package io.warden.server.transport;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * The first frame on every peer connection: who is speaking, for which cell. The acceptor checks
 * it before reading any message, so a replica of another cell (or a stray client) is refused
 * rather than misread. Layout: {@code [int MAGIC][int VERSION][short n][n bytes UTF-8 cell][int sender]}.
 */
record Handshake(String cellName, int senderId) {
    /** "WRDN": lets the acceptor tell garbage from a peer on the first four bytes. */
    static final int MAGIC = 0x5752_444E;
    static final int VERSION = 1;
    static final int MAX_CELL_NAME_BYTES = 1024;

    Handshake {
        if (cellName == null) throw new IllegalArgumentException("cellName is required");
        if (cellName.getBytes(StandardCharsets.UTF_8).length > MAX_CELL_NAME_BYTES) {
            throw new IllegalArgumentException("cellName longer than " + MAX_CELL_NAME_BYTES + " bytes");
        }
    }

    void writeTo(DataOutput out) throws IOException {
        byte[] name = cellName.getBytes(StandardCharsets.UTF_8);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeShort(name.length);
        out.write(name);
        out.writeInt(senderId);
    }

    /** Reads a handshake, or throws {@link IOException} naming what was wrong with its framing. */
    static Handshake readFrom(DataInput in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) throw new IOException(String.format("bad magic 0x%08x (not a Warden peer)", magic));
        int version = in.readInt();
        if (version != VERSION) throw new IOException("unsupported protocol version " + version + ", we speak " + VERSION);
        int n = in.readUnsignedShort();
        if (n > MAX_CELL_NAME_BYTES) throw new IOException("cell name of " + n + " bytes is too long");
        byte[] name = new byte[n];
        in.readFully(name);
        return new Handshake(new String(name, StandardCharsets.UTF_8), in.readInt());
    }

    /**
     * Why an acceptor in {@code expectedCell}, member {@code selfId} of {@code memberIds}, must refuse
     * this handshake; {@code null} when it is acceptable.
     */
    String refusal(String expectedCell, int selfId, Set<Integer> memberIds) {
        if (!cellName.equals(expectedCell)) return "cell name '" + cellName + "' is not ours ('" + expectedCell + "')";
        if (senderId == selfId) return "sender id " + senderId + " is our own id";
        if (!memberIds.contains(senderId)) return "sender id " + senderId + " is not a member " + new TreeSet<>(memberIds);
        return null;
    }
}
