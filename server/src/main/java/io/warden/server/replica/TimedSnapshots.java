package io.warden.server.replica;

import com.codahale.metrics.Timer;
import io.warden.paxos.Command;
import io.warden.paxos.StateMachine;

/**
 * The cell state as the Paxos core sees it, with the time each snapshot takes to encode measured
 * ({@code warden.state.snapshot.encode}): it runs on the replica loop, so it is a pause of every
 * request on this replica.
 */
public final class TimedSnapshots implements StateMachine {
    private final StateMachine machine;
    private final Timer encode;

    public TimedSnapshots(StateMachine machine, Timer encode) {
        this.machine = machine;
        this.encode = encode;
    }

    @Override
    public byte[] apply(long slot, Command command) {
        return machine.apply(slot, command);
    }

    @Override
    public byte[] snapshot() {
        Timer.Context timing = encode.time();
        try {
            return machine.snapshot();
        } finally {
            timing.stop();
        }
    }

    @Override
    public void restore(byte[] snapshot) {
        machine.restore(snapshot);
    }
}
