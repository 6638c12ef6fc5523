package io.warden.server.replica;

import com.codahale.metrics.Timer;
import io.warden.paxos.Command;
import io.warden.paxos.StateMachine;
import java.util.function.Supplier;

/**
 * The cell state as the Paxos core sees it, with the two halves of each snapshot timed: the
 * capture ({@code warden.state.snapshot.capture}), which runs on the replica loop and so pauses
 * every request on this replica, and the encoding ({@code warden.state.snapshot.encode}), which
 * the storage's snapshot writer runs off the loop. The core asks for a snapshot's bytes from
 * whichever thread needs them and keeps no cache; the encoding is done once here and shared.
 */
public final class TimedSnapshots implements StateMachine {
    private final StateMachine machine;
    private final Timer capture;
    private final Timer encode;

    public TimedSnapshots(StateMachine machine, Timer capture, Timer encode) {
        this.machine = machine;
        this.capture = capture;
        this.encode = encode;
    }

    @Override
    public byte[] apply(long slot, Command command) {
        return machine.apply(slot, command);
    }

    @Override
    public Supplier<byte[]> snapshot() {
        Timer.Context capturing = capture.time();
        Supplier<byte[]> later = machine.snapshot();
        capturing.stop();
        return new Supplier<>() {
            private byte[] encoded; // guarded by this

            /** Encoded once, by whichever thread asks first (the snapshot writer, or a peer's InstallSnapshot). */
            @Override
            public synchronized byte[] get() {
                if (encoded == null) {
                    Timer.Context encoding = encode.time();
                    encoded = later.get();
                    encoding.stop();
                }
                return encoded;
            }
        };
    }

    @Override
    public void restore(byte[] snapshot) {
        machine.restore(snapshot);
    }
}
