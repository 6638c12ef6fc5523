package io.warden.client;

import static io.warden.client.ScriptedServer.answer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The client's retries through a fail-over, against replicas whose answers the test scripts. */
class TransportTest {

    /**
     * A follower names the dead master for a while (each round: its hint, the dead one refusing,
     * a back-off), then the new one: that hint is followed at once, not after another back-off,
     * however many rounds came before (a per-call cap of 10 had made late hints wait).
     */
    @Test
    void aHintNamingTheNewMasterIsFollowedAtOnceLateInAFailOver() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + deadPort;
        AtomicLong hintedNewMasterAt = new AtomicLong(), reachedNewMasterAt = new AtomicLong();
        try (ScriptedServer newMaster = new ScriptedServer((n, request) -> {
                reachedNewMasterAt.compareAndSet(0, System.nanoTime());
                return answer(200, "{\"locks\":[]}", false);
            });
             ScriptedServer follower = new ScriptedServer((n, request) -> {
                 String master = n <= 6 ? dead : newMaster.uri("").toString();
                 if (n == 7) hintedNewMasterAt.set(System.nanoTime());
                 return answer(421, "{\"type\":\"urn:warden:problem:not-master\",\"status\":421,\"master\":\"" + master + "\"}", false);
             });
             WardenClient client = WardenClient.builder().endpoints(follower.uri("").toString(), dead)
                 .retryPolicy(new RetryPolicy(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(20))).build()) {
            client.locks("/");
            assertThat(follower.requests).as("six rounds through the dead master, then the hint to the new one").hasSize(7);
            long gapMillis = TimeUnit.NANOSECONDS.toMillis(reachedNewMasterAt.get() - hintedNewMasterAt.get());
            assertThat(gapMillis).as("ms from the hint to the new master's first request (a back-off is 100-200 ms)").isLessThan(90);
        }
    }
}
