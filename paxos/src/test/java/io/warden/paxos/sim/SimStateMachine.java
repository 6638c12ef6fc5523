package io.warden.paxos.sim;

import io.warden.paxos.Command;
import io.warden.paxos.StateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The simulated application: registers written by commands ({@code key, value} as two longs), plus
 * a digest chained over every command it applies. Two replicas that applied the same commands in
 * the same order (after exactly-once filtering) have the same digest; a duplicate applied twice,
 * a lost or reordered command, all change it.
 */
final class SimStateMachine implements StateMachine {
    private final TreeMap<Long, Long> registers = new TreeMap<>();
    private long digest = 17;
    private long appliedCommands;

    static byte[] write(long key, long value) {
        return ByteBuffer.allocate(16).putLong(key).putLong(value).array();
    }

    @Override
    public byte[] apply(long slot, Command c) {
        ByteBuffer p = ByteBuffer.wrap(c.payload());
        long key = p.getLong();
        long value = p.getLong();
        Long previous = registers.put(key, value);
        appliedCommands++;
        digest = mix(mix(mix(mix(digest, slot), c.clientId()), c.sequence()), key * 1_000_003L + value);
        return ByteBuffer.allocate(8).putLong(previous == null ? -1 : previous).array();
    }

    long digest() {
        return digest;
    }

    long appliedCommands() {
        return appliedCommands;
    }

    /** Captures a copy now and encodes it when asked, as the real cell state does: the simulator then
     * checks that a snapshot encoded after later applies still holds only what came before. */
    @Override
    public Supplier<byte[]> snapshot() {
        long digest = this.digest;
        long appliedCommands = this.appliedCommands;
        TreeMap<Long, Long> registers = new TreeMap<>(this.registers);
        return () -> encode(digest, appliedCommands, registers);
    }

    private static byte[] encode(long digest, long appliedCommands, TreeMap<Long, Long> registers) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(digest);
            out.writeLong(appliedCommands);
            out.writeInt(registers.size());
            for (Map.Entry<Long, Long> e : registers.entrySet()) {
                out.writeLong(e.getKey());
                out.writeLong(e.getValue());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void restore(byte[] snapshot) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
            digest = in.readLong();
            appliedCommands = in.readLong();
            registers.clear();
            int n = in.readInt();
            for (int i = 0; i < n; i++) registers.put(in.readLong(), in.readLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long mix(long h, long v) {
        long x = (h ^ v) * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 31);
    }
}
