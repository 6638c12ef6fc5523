package io.warden.server.replica;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.warden.client.SystemClock;
import io.warden.paxos.Ballot;
import io.warden.paxos.Command;
import io.warden.paxos.DecisionListener;
import io.warden.paxos.Message;
import io.warden.paxos.PaxosReplica;
import io.warden.paxos.Value;
import io.warden.paxos.storage.DurablePaxosStorage;
import io.warden.server.cell.CellState;
import io.warden.server.cell.Limits;
import io.warden.server.config.CellConfig;
import io.warden.server.config.DataDirectory;
import io.warden.server.config.LoadLimits;
import io.warden.server.config.Member;
import io.warden.server.transport.PeerTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A follower's loop syncs its accepted value itself (no hand-off to the sync thread per round),
 * and its vote still leaves only once the sync returned: a replica 2 of three, fed an Accept as
 * if from master 1, its storage's syncs held.
 */
class FollowerSyncTest {

    /** The peers: what the follower sends is kept; what it receives is handed in by the test. */
    private static final class Peers implements PeerTransport {
        final List<Message> sent = new CopyOnWriteArrayList<>();
        volatile Consumer<Message> inbound;

        @Override
        public void start(Consumer<Message> inbound) {
            this.inbound = inbound;
        }

        @Override
        public void send(Message m) {
            sent.add(m);
        }

        @Override
        public boolean connected(int peerId) {
            return true;
        }

        @Override
        public void close() {}
    }

    @Test
    void aFollowersVoteLeavesOnlyOnceItsLoopHasSyncedTheAcceptedValue() throws Exception {
        Path dir = Files.createTempDirectory("warden-follower");
        CellConfig config = new CellConfig("follower", List.of(new Member(1, "127.0.0.1", 1001, 2001),
            new Member(2, "127.0.0.1", 1002, 2002), new Member(3, "127.0.0.1", 1003, 2003)), 2, dir.resolve("data"),
            new CellConfig.Timings(2_000, 400, 50, 0.01, 5, 10_000));
        DurablePaxosStorage storage = DurablePaxosStorage.open(dir.resolve("paxos"));
        GatedStorage gated = new GatedStorage(storage);
        CellState state = new CellState(Limits.defaults());
        PaxosReplica replica = new PaxosReplica(2, config.configuration(), config.paxosOptions(), gated, state,
            SystemClock.monotonic(), new SplittableRandom(2), DecisionListener.NONE);
        Peers peers = new Peers();
        ReplicaLoop loop = new ReplicaLoop(replica, gated, state, peers, SystemClock.monotonic(), 5, List.of(1, 2, 3),
            new ServerMetrics(new MetricRegistry()), LoadLimits.defaults());
        try {
            loop.start();
            gated.shut();
            Ballot ballot = new Ballot(1, 1);
            Command command = new Command(7, 1, "{}".getBytes(StandardCharsets.UTF_8));
            peers.inbound.accept(new Message.Accept(1, 2, ballot, 1, new Value.Batch(List.of(command)), 0));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (gated.syncThreads.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(gated.syncThreads).as("the follower's loop syncs, not the sync thread").containsOnly("warden-replica-loop");
            Thread.sleep(200);
            assertThat(peers.sent).as("a vote sent before its accepted value was durable").noneMatch(m -> m instanceof Message.Accepted);

            gated.open();
            Message.Accepted vote = new Message.Accepted(2, 1, ballot, 1);
            while (!peers.sent.contains(vote) && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(peers.sent).contains(vote);
        } finally {
            gated.open();
            loop.close();
            storage.close();
            DataDirectory.deleteTree(dir);
        }
    }
}
