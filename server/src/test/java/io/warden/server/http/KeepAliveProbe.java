package io.warden.server.http;

import com.codahale.metrics.MetricRegistry;
import io.warden.leases.MonotonicClock;
import io.warden.paxos.DecisionListener;
import io.warden.paxos.Message;
import io.warden.paxos.PaxosReplica;
import io.warden.paxos.storage.DurablePaxosStorage;
import io.warden.server.cell.CellState;
import io.warden.server.cell.Limits;
import io.warden.server.config.CellConfig;
import io.warden.server.config.Member;
import io.warden.server.replica.ReplicaLoop;
import io.warden.server.replica.ServerMetrics;
import io.warden.server.transport.PeerTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Run in a child JVM by {@link ReplicaLoopBugsTest}: a one-replica loop, then a KeepAlive for a
 * session that never existed, straight to {@link ReplicaLoop#keepAlive}. Prints how the future
 * ended and exits 0; if the loop halts the process instead, the exit code is the loop's (70).
 */
public final class KeepAliveProbe {
    private KeepAliveProbe() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("warden-probe");
        CellConfig config = new CellConfig("probe", List.of(new Member(1, "127.0.0.1", 0, 1)), 1, dir.resolve("data"),
            new CellConfig.Timings(2_000, 400, 50, 0.01, 5, 10_000));
        DurablePaxosStorage storage = DurablePaxosStorage.open(dir.resolve("paxos"));
        CellState state = new CellState(Limits.defaults());
        PaxosReplica replica = new PaxosReplica(1, config.configuration(), config.paxosOptions(), storage, state,
            MonotonicClock.system(), new SplittableRandom(1), DecisionListener.NONE);
        ReplicaLoop loop = new ReplicaLoop(replica, storage, state, new NoPeers(), MonotonicClock.system(), 5, List.of(1),
            new ServerMetrics(new MetricRegistry()), config.loadLimits());
        loop.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                loop.read(CellState::lastEventIndex).get(1, TimeUnit.SECONDS);
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(20);
            }
        }
        try {
            loop.keepAlive(424242).get(5, TimeUnit.SECONDS);
            System.out.println("PROBE: keepAlive succeeded");
        } catch (java.util.concurrent.ExecutionException e) {
            System.out.println("PROBE: keepAlive failed with " + e.getCause().getClass().getSimpleName());
        }
        loop.read(CellState::lastEventIndex).get(5, TimeUnit.SECONDS);
        System.out.println("PROBE: the replica still serves");
        loop.close();
        storage.close();
        System.exit(0);
    }

    /** A one-member cell has no peers. */
    private static final class NoPeers implements PeerTransport {
        @Override
        public void start(Consumer<Message> inbound) {}

        @Override
        public void send(Message m) {}

        @Override
        public boolean connected(int peerId) {
            return false;
        }

        @Override
        public void close() {}
    }
}
