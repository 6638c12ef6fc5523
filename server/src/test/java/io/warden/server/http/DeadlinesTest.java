package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("deadlines-test", true);
    private Deadlines deadlines;

    @BeforeEach
    void start() throws Exception {
        scheduler.start();
        deadlines = new Deadlines(scheduler);
        deadlines.start();
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.stop();
    }

    @Test
    void aRequestNotAnsweredInTimeFailsWithTimeoutAndIsForgotten() {
        CompletableFuture<String> f = deadlines.within(new CompletableFuture<>(), 30);

        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(TimeoutException.class);
        assertThat(deadlines.pending()).isZero();
    }

    @Test
    void aRequestAnsweredInTimeKeepsItsAnswerAndIsForgottenAtOnce() throws Exception {
        CompletableFuture<String> f = deadlines.within(new CompletableFuture<>(), 50);
        assertThat(deadlines.pending()).isEqualTo(1);

        f.complete("granted");

        assertThat(deadlines.pending()).isZero(); // nothing lingers until the deadline
        Thread.sleep(50 + 5 * Deadlines.SWEEP_MILLIS);
        assertThat(f.get()).isEqualTo("granted");
    }

    @Test
    void sweepsThatStoppedWhileIdleStartAgainForTheNextRequest() throws Exception {
        deadlines.within(new CompletableFuture<>(), 10_000).complete("answered");
        Thread.sleep((Deadlines.IDLE_SWEEPS + 20) * Deadlines.SWEEP_MILLIS); // long enough for the sweeps to stop

        CompletableFuture<String> f = deadlines.within(new CompletableFuture<>(), 30);

        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void aDeadlineDoesNotFireEarly() throws Exception {
        CompletableFuture<String> f = deadlines.within(new CompletableFuture<>(), 2_000);

        Thread.sleep(10 * Deadlines.SWEEP_MILLIS);

        assertThat(f).isNotDone();
        assertThat(deadlines.pending()).isEqualTo(1);
    }

    @Test
    void aWaitTooLongToCountHasNoDeadlineRatherThanOneInThePast() throws Exception {
        CompletableFuture<String> f = deadlines.within(new CompletableFuture<>(), Long.MAX_VALUE / 1_000);

        Thread.sleep(5 * Deadlines.SWEEP_MILLIS);

        assertThat(f).isNotDone(); // now + the wait in nanoseconds would have overflowed to the past
        assertThat(deadlines.pending()).isZero();
    }

    @Test
    void sweepsEndWithTheSchedulerAndDoNotBreakRequests() throws Exception {
        scheduler.stop();

        CompletableFuture<String> f = deadlines.within(new CompletableFuture<>(), 10);
        f.complete("answered");

        assertThat(f.get()).isEqualTo("answered");
        assertThat(deadlines.pending()).isZero();
    }
}
