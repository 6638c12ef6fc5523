package io.warden.jepsen.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.LockMode;
import io.warden.api.Sequencer;
import io.warden.client.LockLostException;
import io.warden.client.WardenException;
import org.junit.jupiter.api.Test;

/** The lock workload's resource, and how workers classify failed calls. */
class FencedRegisterTest {

    private static Sequencer token(String lock, long t) {
        return new Sequencer(lock, LockMode.EXCLUSIVE, 1, t);
    }

    @Test
    void refusesTokensOlderThanTheNewestAdmittedPerLock() {
        FencedRegister r = new FencedRegister();
        assertThat(r.write(token("/a", 5))).isTrue();
        assertThat(r.write(token("/a", 5))).as("the same holder again").isTrue();
        assertThat(r.write(token("/a", 7))).isTrue();
        assertThat(r.write(token("/a", 6))).as("a stale holder").isFalse();
        assertThat(r.write(token("/b", 1))).as("another lock has its own fence").isTrue();
        assertThat(r.highest("/a")).isEqualTo(7);
        assertThat(r.writes("/a")).extracting(FencedRegister.Write::token).containsExactly(5L, 5L, 7L);
        assertThat(r.admitted()).isEqualTo(4);
        assertThat(r.refused()).isEqualTo(1);
    }

    @Test
    void onlyCallsThatCertainlyDidNothingAreFailures() {
        assertThat(Worker.isIndeterminate(new WardenException(503, "no-master", "election"))).isTrue();
        assertThat(Worker.isIndeterminate(new WardenException("no answer", new RuntimeException()))).isTrue();
        assertThat(Worker.isIndeterminate(new WardenException(421, "not-master", "elsewhere"))).isTrue();
        assertThat(Worker.isIndeterminate(new WardenException(500, "internal", "bug"))).isTrue();
        assertThat(Worker.isIndeterminate(new IllegalStateException("surprise"))).isTrue();
        assertThat(Worker.isIndeterminate(new WardenException(409, "not-holder", "no"))).isFalse();
        assertThat(Worker.isIndeterminate(new WardenException(404, "session-expired", "gone"))).isFalse();
        assertThat(Worker.isIndeterminate(new LockLostException("lost"))).isFalse();
    }
}
