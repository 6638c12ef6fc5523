package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.client.Grant;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import io.warden.server.config.LoadLimits;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A caller that gives up on a waiting acquire must not leave its session queued: once granted, it
 * would hold a lock nobody knows it has, and its next acquire would be refused as
 * {@code already-waiting}. The client library withdraws the wait with a release (Curator deletes
 * its node likewise); the cell answers the abandoned acquire {@code not-acquired}.
 */
class WithdrawnWaitTest {

    @Test
    void anInterruptedAcquireWithdrawsItsWaitAndTheLockPassesOn() throws Exception {
        try (OneReplicaCell cell = OneReplicaCell.start(LoadLimits.defaults());
             WardenClient client = WardenClient.builder().endpoints(cell.base()).build();
             Session holder = client.newSession(Duration.ofSeconds(10));
             Session waiter = client.newSession(Duration.ofSeconds(10))) {
            Grant held = holder.lock("/w").acquire(Duration.ZERO).orElseThrow();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    waiter.lock("/w").acquire(Duration.ofSeconds(30));
                } catch (RuntimeException e) {
                    failed.set(e);
                }
            });
            caller.start();
            cell.awaitWaiting(waiter.id(), "/w");
            long before = cell.lastEventIndex();

            caller.interrupt();
            caller.join(5_000);
            assertThat(caller.isAlive()).isFalse();
            assertThat(failed.get()).as("the interrupted caller is told").isNotNull();
            awaitNoWaiters(cell, "/w");
            assertThat(cell.get("/v1/events?from=" + (before + 1)).text()).contains("lock.wait-cancelled");

            held.release();
            assertThat(cell.lock("/w")).as("nobody holds it: it was not passed to the withdrawn waiter").isNull();
            assertThat(waiter.lock("/w").acquire(Duration.ZERO)).as("asking again is not 'already-waiting'").isPresent();
        }
    }

    private static void awaitNoWaiters(OneReplicaCell cell, String lock) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            JsonNode l = cell.lock(lock);
            if (l != null && l.get("waiters").isEmpty()) return;
            assertThat(System.nanoTime()).as("the wait for %s is withdrawn within 5 s", lock).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
