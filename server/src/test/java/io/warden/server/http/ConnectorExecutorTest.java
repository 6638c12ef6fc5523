package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection Jetty resumes from the serial drain's thread (an answer written there finished its
 * exchange) reads its next request on that thread, not on a woken pool thread; everything else
 * still goes to the pool.
 */
class ConnectorExecutorTest {
    private final List<Runnable> pooled = new ArrayList<>();
    private QueuedThreadPool pool;

    @BeforeEach
    void start() throws Exception {
        pool = new QueuedThreadPool() {
            @Override
            public void execute(Runnable job) {
                synchronized (pooled) {
                    pooled.add(job);
                }
                super.execute(job);
            }
        };
        pool.start();
    }

    @AfterEach
    void stop() throws Exception {
        pool.stop();
    }

    /** A job that is a Jetty connection (as HttpConnection is), reporting the thread it ran on. */
    private static Runnable connection(CompletableFuture<Thread> ranOn) {
        return (Runnable) Proxy.newProxyInstance(ConnectorExecutorTest.class.getClassLoader(), new Class<?>[] {Runnable.class, Connection.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "run" -> ranOn.complete(Thread.currentThread()) ? null : null;
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "a connection";
                default -> null;
            });
    }

    @Test
    void aConnectionResumedFromTheDrainRunsThereAndAnythingElseGoesToThePool() throws Exception {
        ConnectorExecutor executor = new ConnectorExecutor(pool);
        SerialDrain drain = new SerialDrain(pool, () -> false);
        CompletableFuture<Thread> resumedOn = new CompletableFuture<>();
        CompletableFuture<Thread> drainThread = new CompletableFuture<>();
        CompletableFuture<Thread> otherJobOn = new CompletableFuture<>();
        Runnable otherJob = () -> otherJobOn.complete(Thread.currentThread());
        drain.execute(() -> {
            drainThread.complete(Thread.currentThread());
            executor.execute(connection(resumedOn));
            assertThat(resumedOn).isDone(); // ran before execute returned
            executor.execute(otherJob);
            assertThat(otherJobOn).isNotDone(); // handed to the pool, which this drain's thread belongs to
        });
        assertThat(resumedOn.get(5, TimeUnit.SECONDS)).isSameAs(drainThread.get(5, TimeUnit.SECONDS));
        otherJobOn.get(5, TimeUnit.SECONDS);
        synchronized (pooled) {
            assertThat(pooled).contains(otherJob).noneMatch(job -> job instanceof Connection);
        }
    }

    @Test
    void aConnectionResumedOffTheDrainGoesToThePool() throws Exception {
        ConnectorExecutor executor = new ConnectorExecutor(pool);
        CompletableFuture<Thread> resumedOn = new CompletableFuture<>();
        Runnable job = connection(resumedOn);
        executor.execute(job);
        assertThat(resumedOn.get(5, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
        synchronized (pooled) {
            assertThat(pooled).contains(job);
        }
    }
}
