package io.warden.server.cell;

import io.warden.paxos.Command;
import io.warden.paxos.StateMachine;
import io.warden.paxos.WireCodec;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cell's replicated state: deterministic, no clocks or I/O (time travels inside commands),
 * driven only by the replica loop's thread. Reads go through the loop too, under the master lease.
 */
public final class CellState implements StateMachine {
    /** A register's value and the slot that last wrote it (its revision). */
    public record Register(String value, long revision) {}

    private final TreeMap<String, Register> registers = new TreeMap<>();

    @Override
    public byte[] apply(long slot, Command command) {
        CellCommand c;
        try {
            c = CellCommand.decode(command.payload());
        } catch (IOException e) {
            return CellResult.error("undecodable command: " + e.getMessage());
        }
        if (c instanceof CellCommand.Put p) {
            Register previous = registers.put(p.key(), new Register(p.value(), slot));
            return CellResult.written(slot, previous);
        }
        return CellResult.error("unsupported command " + c);
    }

    public Optional<Register> register(String key) {
        return Optional.ofNullable(registers.get(key));
    }

    public int registerCount() {
        return registers.size();
    }

    @Override
    public byte[] snapshot() {
        return WireCodec.encode(out -> {
            out.writeInt(registers.size());
            for (Map.Entry<String, Register> e : registers.entrySet()) {
                WireCodec.writeBytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
                WireCodec.writeBytes(out, e.getValue().value().getBytes(StandardCharsets.UTF_8));
                out.writeLong(e.getValue().revision());
            }
        });
    }

    @Override
    public void restore(byte[] snapshot) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
            registers.clear();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String k = new String(WireCodec.readBytes(in), StandardCharsets.UTF_8);
                String v = new String(WireCodec.readBytes(in), StandardCharsets.UTF_8);
                registers.put(k, new Register(v, in.readLong()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt cell snapshot", e);
        }
    }
}
