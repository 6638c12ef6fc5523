package io.warden.server.http;

import io.warden.server.cell.CellState;
import io.warden.server.config.LoadLimits;
import io.warden.server.replica.OneReplicaLoop;
import io.warden.server.replica.ReplicaLoop;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM by {@link ReplicaLoopBugsTest}: a one-replica loop, then a KeepAlive for a
 * session that never existed, straight to {@link ReplicaLoop#keepAlive}. Prints how the future
 * ended and exits 0; if the loop halts the process instead, the exit code is the loop's (70).
 */
public final class KeepAliveProbe {
    private KeepAliveProbe() {}

    public static void main(String[] args) throws Exception {
        OneReplicaLoop one = new OneReplicaLoop(LoadLimits.defaults());
        one.start();
        ReplicaLoop loop = one.loop();
        try {
            loop.keepAlive(424242).get(5, TimeUnit.SECONDS);
            System.out.println("PROBE: keepAlive succeeded");
        } catch (java.util.concurrent.ExecutionException e) {
            System.out.println("PROBE: keepAlive failed with " + e.getCause().getClass().getSimpleName());
        }
        loop.read(CellState::lastEventIndex).get(5, TimeUnit.SECONDS);
        System.out.println("PROBE: the replica still serves");
        one.close();
        System.exit(0);
    }
}
