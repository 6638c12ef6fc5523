package io.warden.server.cell;

import io.warden.paxos.WireCodec;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The cell's replicated commands, as they travel in Paxos slots. Encoded compactly; decoding
 * rejects anything malformed (a command that cannot be decoded is answered with an error and
 * changes nothing: the state machine must never throw).
 */
public sealed interface CellCommand {
    /** Sets a register (a small value under a name). */
    record Put(String key, String value) implements CellCommand {}

    default byte[] encode() {
        return WireCodec.encode(out -> {
            if (this instanceof Put p) {
                out.writeByte(1);
                WireCodec.writeBytes(out, p.key().getBytes(StandardCharsets.UTF_8));
                WireCodec.writeBytes(out, p.value().getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    static CellCommand decode(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int tag = in.readByte();
        if (tag == 1) {
            return new Put(new String(WireCodec.readBytes(in), StandardCharsets.UTF_8),
                new String(WireCodec.readBytes(in), StandardCharsets.UTF_8));
        }
        throw new IOException("unknown cell command " + tag);
    }
}
