package io.warden.server.replica;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Timer;
import io.warden.paxos.Command;
import io.warden.paxos.StateMachine;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The core keeps no cache of a snapshot's bytes; the server encodes the cell state once and shares it. */
class TimedSnapshotsTest {

    @Test
    void aSnapshotIsEncodedOnceHoweverOftenItsBytesAreAskedFor() {
        AtomicInteger encodings = new AtomicInteger();
        StateMachine machine = new StateMachine() {
            @Override
            public byte[] apply(long slot, Command command) {
                return new byte[0];
            }

            @Override
            public Supplier<byte[]> snapshot() {
                return () -> new byte[] {(byte) encodings.incrementAndGet()};
            }

            @Override
            public void restore(byte[] snapshot) {}
        };
        Timer encode = new Timer();
        Supplier<byte[]> later = new TimedSnapshots(machine, new Timer(), encode).snapshot();
        assertThat(encodings).as("captured, not encoded yet").hasValue(0);

        assertThat(later.get()).containsExactly(1);
        assertThat(later.get()).containsExactly(1);
        assertThat(encodings).hasValue(1);
        assertThat(encode.getCount()).isEqualTo(1);
    }
}
