package io.warden.server.replica;

import com.codahale.metrics.MetricRegistry;
import io.warden.client.SystemClock;
import io.warden.paxos.DecisionListener;
import io.warden.paxos.Message;
import io.warden.paxos.PaxosReplica;
import io.warden.paxos.PaxosStorage;
import io.warden.paxos.storage.DurablePaxosStorage;
import io.warden.server.cell.CellState;
import io.warden.server.cell.Limits;
import io.warden.server.config.CellConfig;
import io.warden.server.config.DataDirectory;
import io.warden.server.config.LoadLimits;
import io.warden.server.config.Member;
import io.warden.server.transport.PeerTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A replica loop of a one-member cell, with real storage in a temporary directory and no HTTP:
 * for tests (and probes) that drive {@link ReplicaLoop} directly. Made stopped; {@link #start()}.
 */
public final class OneReplicaLoop implements AutoCloseable {
    private final ReplicaLoop loop;
    private final DurablePaxosStorage storage;
    private final Path dir;
    private final MetricRegistry registry = new MetricRegistry();

    public OneReplicaLoop(LoadLimits loadLimits) throws IOException {
        this(loadLimits, UnaryOperator.identity());
    }

    /** With the loop's storage wrapped by {@code wrap} (to slow or hold its syncs, say). */
    public OneReplicaLoop(LoadLimits loadLimits, UnaryOperator<PaxosStorage> wrap) throws IOException {
        dir = Files.createTempDirectory("warden-loop");
        CellConfig config = new CellConfig("loop", List.of(new Member(1, "127.0.0.1", 0, 1)), 1, dir.resolve("data"),
            new CellConfig.Timings(2_000, 400, 50, 0.01, 5, 10_000));
        storage = DurablePaxosStorage.open(dir.resolve("paxos"));
        CellState state = new CellState(Limits.defaults());
        PaxosStorage used = wrap.apply(storage);
        PaxosReplica replica = new PaxosReplica(1, config.configuration(), config.paxosOptions(), used, state,
            SystemClock.monotonic(), new SplittableRandom(1), DecisionListener.NONE);
        loop = new ReplicaLoop(replica, used, state, new NoPeers(), SystemClock.monotonic(), 5, List.of(1),
            new ServerMetrics(registry), loadLimits);
    }

    public ReplicaLoop loop() {
        return loop;
    }

    public MetricRegistry registry() {
        return registry;
    }

    /** Starts the loop and waits (at most 10 s) until it serves as master. */
    public void start() throws InterruptedException, ExecutionException, TimeoutException {
        loop.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                loop.read(CellState::lastEventIndex).get(1, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) { // not master yet, or a slow first fsync
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(20);
            }
        }
    }

    @Override
    public void close() {
        loop.close();
        storage.close();
        DataDirectory.deleteTree(dir); // its log holds a 64 MiB segment
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
