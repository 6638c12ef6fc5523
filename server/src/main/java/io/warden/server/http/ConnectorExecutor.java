package io.warden.server.http;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.TryExecutor;

/**
 * The client connector's executor: Jetty's pool, but for one job. When an answer written on the
 * {@link SerialDrain} completes its exchange, Jetty resumes the connection (to read the next
 * request) by handing the connection to the pool: one thread wake-up per request, for a read that
 * usually finds nothing yet and re-arms the selector (docs/benchmarks.md, item 22). That resumption
 * runs on the drain's own thread instead. It does not block: the read is non-blocking, and a
 * request found there is served as any other, by {@link HotPath}, which hands whatever may block
 * to the pool. Everything else (the selector's tasks, the servlet path) goes to the pool as before.
 */
final class ConnectorExecutor implements TryExecutor {
    private final TryExecutor pool;

    ConnectorExecutor(ThreadPool pool) {
        this.pool = TryExecutor.asTryExecutor(pool);
    }

    @Override
    public void execute(Runnable job) {
        if (job instanceof Connection && SerialDrain.onDrainThread()) {
            job.run();
        } else {
            pool.execute(job);
        }
    }

    @Override
    public boolean tryExecute(Runnable job) {
        return pool.tryExecute(job);
    }
}
