package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tasks given on the holding thread wait for its flush; a few then run on it, more go to the pool
 * as one burst; tasks from other threads go to the pool at once. The pool here is a queue the test
 * runs by hand, so nothing runs unless the drain hands it over.
 */
class SerialDrainTest {
    private final LinkedBlockingQueue<Runnable> pool = new LinkedBlockingQueue<>();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final Thread holder = Thread.currentThread();
    private final SerialDrain drain = new SerialDrain((Executor) pool::add, () -> Thread.currentThread() == holder);

    private Runnable task(String name) {
        return () -> ran.add(name + "@" + (Thread.currentThread() == holder ? "holder" : "other"));
    }

    @Test
    void aFewHeldTasksRunOnTheHolderAtItsFlushAndInOrder() {
        for (int i = 1; i <= SerialDrain.RUN_HERE_AT_MOST; i++) drain.execute(task("t" + i));
        assertThat(ran).as("held until the flush").isEmpty();
        assertThat(pool).isEmpty();
        drain.flushHeld();
        assertThat(ran).containsExactly("t1@holder", "t2@holder");
        assertThat(pool).isEmpty();
    }

    @Test
    void moreHeldTasksThanThatGoToThePoolAsOneBurst() {
        for (int i = 1; i <= SerialDrain.RUN_HERE_AT_MOST + 1; i++) drain.execute(task("t" + i));
        drain.flushHeld();
        assertThat(ran).isEmpty();
        assertThat(pool).hasSize(1);
        pool.poll().run(); // the pool's thread would; here the holder stands in for it
        assertThat(ran).containsExactly("t1@holder", "t2@holder", "t3@holder");
    }

    @Test
    void anotherThreadsTaskWakesThePoolAtOnce() throws Exception {
        Thread other = new Thread(() -> drain.execute(task("x")));
        other.start();
        other.join(5_000);
        Runnable burst = pool.poll(5, TimeUnit.SECONDS);
        assertThat(burst).isNotNull();
        drain.execute(task("held")); // joins the drain that was handed over, and runs with it
        burst.run();
        assertThat(ran).containsExactly("x@holder", "held@holder");
        drain.flushHeld(); // nothing left
        assertThat(pool).isEmpty();
    }
}
