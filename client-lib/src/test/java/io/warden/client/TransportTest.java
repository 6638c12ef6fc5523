package io.warden.client;

import static io.warden.client.ScriptedServer.answer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The client's retries through a fail-over, against replicas whose answers the test scripts. */
class TransportTest {

    /** The client's scheduler, counting the delayed tasks (retry back-offs) it is given. */
    private static final class CountingScheduler extends ScheduledThreadPoolExecutor {
        final AtomicInteger delayed = new AtomicInteger();

        CountingScheduler() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            if (delay > 0) delayed.incrementAndGet();
            return super.schedule(task, delay, unit);
        }
    }

    /**
     * A follower names the dead master for a while (each round: its hint, the dead one refusing,
     * a back-off), then the new one: that hint is followed at once, not after another back-off,
     * however many rounds came before (a per-call cap of 10 had made late hints wait). Told by the
     * back-offs the client schedules, not by a clock: no back-off between the hint and the new
     * master's first request.
     */
    @Test
    void aHintNamingTheNewMasterIsFollowedAtOnceLateInAFailOver() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + deadPort;
        CountingScheduler scheduler = new CountingScheduler();
        AtomicInteger backOffsAtHint = new AtomicInteger(-1), backOffsAtNewMaster = new AtomicInteger(-1);
        try (ScriptedServer newMaster = new ScriptedServer((n, request) -> {
                backOffsAtNewMaster.compareAndSet(-1, scheduler.delayed.get());
                return answer(200, "{\"locks\":[]}", false);
            });
             ScriptedServer follower = new ScriptedServer((n, request) -> {
                 String master = n <= 6 ? dead : newMaster.uri("").toString();
                 if (n == 7) backOffsAtHint.set(scheduler.delayed.get());
                 return answer(421, "{\"type\":\"urn:warden:problem:not-master\",\"status\":421,\"master\":\"" + master + "\"}", false);
             });
             WardenClient client = WardenClient.builder().endpoints(follower.uri("").toString(), dead).scheduler(scheduler)
                 .retryPolicy(new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofSeconds(20))).build()) {
            client.locks("/");
            assertThat(follower.requests).as("six rounds through the dead master, then the hint to the new one").hasSize(7);
            assertThat(backOffsAtHint.get()).as("a back-off after each round through the dead master").isGreaterThanOrEqualTo(6);
            assertThat(backOffsAtNewMaster.get()).as("back-offs scheduled by the time the new master was asked")
                .isEqualTo(backOffsAtHint.get());
        } finally {
            scheduler.shutdownNow();
        }
    }
}
