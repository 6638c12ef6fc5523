package io.warden.paxos;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Everything a replica has applied, in slot order: the configuration, the {@link ExactlyOnce} table
 * and the application's {@link StateMachine}. One snapshot covers all three, so a replica restored
 * from it is indistinguishable from one that applied every slot itself.
 */
final class AppliedState {
    private final StateMachine machine;
    private final ExactlyOnce exactlyOnce;
    private final boolean snapshotForgetsDedup; // planted bug, for the simulator's own tests
    private Configuration configuration;
    private long appliedThrough;

    AppliedState(StateMachine machine, Configuration initial, PaxosOptions options) {
        this.machine = machine;
        this.exactlyOnce = new ExactlyOnce(options.exactlyOncePerClient(), options.exactlyOnceClients());
        this.snapshotForgetsDedup = options.has(PlantedBug.SNAPSHOT_FORGETS_DEDUP);
        this.configuration = initial;
    }

    Configuration configuration() {
        return configuration;
    }

    long appliedThrough() {
        return appliedThrough;
    }

    /** Applies the value decided in {@code slot}, which must be the next one. */
    List<Ready.Applied> apply(long slot, Value value) {
        if (slot != appliedThrough + 1) throw new IllegalStateException("applying slot " + slot + " after " + appliedThrough);
        appliedThrough = slot;
        if (value instanceof Value.Reconfigure r) {
            configuration = r.configuration();
            return List.of();
        }
        if (!(value instanceof Value.Batch batch)) return List.of();
        List<Ready.Applied> out = new ArrayList<>(batch.commands().size());
        for (Command c : batch.commands()) {
            ExactlyOnce.Outcome seen = exactlyOnce.lookup(c);
            if (seen.seen()) {
                out.add(new Ready.Applied(slot, c, seen.result(), seen.tooOld() ? Ready.Disposition.TOO_OLD : Ready.Disposition.DUPLICATE));
                continue;
            }
            byte[] applied = machine.apply(slot, c);
            // A null result must still mark the command as done, or its retry would be applied again.
            byte[] result = applied == null ? new byte[0] : applied;
            exactlyOnce.record(slot, c, result);
            out.add(new Ready.Applied(slot, c, result, Ready.Disposition.APPLIED));
        }
        return out;
    }

    /** Encoded later (see {@link StateMachine#snapshot}); the small parts here, now. */
    Snapshot snapshot() {
        byte[] head = WireCodec.encode(out -> {
            out.writeInt(configuration.members().size());
            for (int id : configuration.members()) out.writeInt(id);
            if (snapshotForgetsDedup) {
                new ExactlyOnce(1, 1).writeTo(out);
            } else {
                exactlyOnce.writeTo(out);
            }
        });
        Supplier<byte[]> machineState = machine.snapshot();
        return Snapshot.encodedLater(appliedThrough, () -> WireCodec.encode(out -> {
            out.write(head);
            WireCodec.writeBytes(out, machineState.get());
        }));
    }

    void restore(Snapshot snapshot) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot.state()));
            int n = in.readInt();
            List<Integer> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) ids.add(in.readInt());
            configuration = new Configuration(ids);
            exactlyOnce.readFrom(in);
            machine.restore(WireCodec.readBytes(in));
            appliedThrough = snapshot.lastSlot();
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt snapshot through slot " + snapshot.lastSlot(), e);
        }
    }
}
