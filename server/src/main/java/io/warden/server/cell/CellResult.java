package io.warden.server.cell;

import io.warden.paxos.WireCodec;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A command's outcome as the state machine returns it (bytes, so retries get the same answer). */
public sealed interface CellResult {
    /** A register was written in {@code slot}; {@code previous} is what it held, if anything. */
    record Written(long revision, CellState.Register previous) implements CellResult {}

    /** The command was refused; nothing changed. */
    record Error(String message) implements CellResult {}

    static byte[] written(long slot, CellState.Register previous) {
        return WireCodec.encode(out -> {
            out.writeByte(1);
            out.writeLong(slot);
            out.writeBoolean(previous != null);
            if (previous != null) {
                WireCodec.writeBytes(out, previous.value().getBytes(StandardCharsets.UTF_8));
                out.writeLong(previous.revision());
            }
        });
    }

    static byte[] error(String message) {
        return WireCodec.encode(out -> {
            out.writeByte(2);
            WireCodec.writeBytes(out, message.getBytes(StandardCharsets.UTF_8));
        });
    }

    static CellResult decode(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            int tag = in.readByte();
            if (tag == 1) {
                long slot = in.readLong();
                CellState.Register prev = in.readBoolean()
                    ? new CellState.Register(new String(WireCodec.readBytes(in), StandardCharsets.UTF_8), in.readLong()) : null;
                return new Written(slot, prev);
            }
            return new Error(new String(WireCodec.readBytes(in), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("results are written by this code and always decode", e);
        }
    }
}
