package io.warden.server.transport;

import io.warden.paxos.Ballot;
import io.warden.paxos.Command;
import io.warden.paxos.Message;
import io.warden.paxos.Value;
import io.warden.paxos.WireCodec;
import io.warden.server.config.Member;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Throughput of one {@link TcpPeerTransport} link on 127.0.0.1: one thread sends Accepts (one
 * command of {@code payloadBytes}) from replica 1 to replica 2 for {@code seconds}, keeping at most
 * {@code window} messages unacknowledged so the queue never overflows (a closed-loop sender, like a
 * master with a bounded pipeline). Not a test: run by hand, e.g.
 * {@code java -cp server/target/test-classes:server/target/classes:$(cat cp.txt) io.warden.server.transport.TransportBenchmark 5 128 5000}.
 */
public final class TransportBenchmark {
    private static final int MAX_SECONDS = 60;

    private TransportBenchmark() {}

    public static void main(String[] args) throws InterruptedException {
        int seconds = Math.min(MAX_SECONDS, args.length > 0 ? Integer.parseInt(args[0]) : 5);
        int payloadBytes = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        TcpTransportOptions options = TcpTransportOptions.defaults().withQueueCapacity(Math.max(window, 1));
        Member one = new Member(1, "127.0.0.1", 0, TransportFixtures.freePort("127.0.0.1"));
        Member two = new Member(2, "127.0.0.1", 0, TransportFixtures.freePort("127.0.0.1"));
        List<Member> members = List.of(one, two);
        LongAdder received = new LongAdder();
        Value value = new Value.Batch(List.of(new Command(7, 1, new byte[payloadBytes])));
        int frameBytes = Integer.BYTES + WireCodec.encodeMessage(accept(1, value)).length;

        try (TcpPeerTransport sender = new TcpPeerTransport("bench", 1, one, members, options);
             TcpPeerTransport receiver = new TcpPeerTransport("bench", 2, two, members, options)) {
            sender.start(m -> { });
            receiver.start(m -> received.increment());
            warmUp(sender, received, value);
            long base = received.sum();
            long sent = 0;
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                if (sent - (received.sum() - base) >= window) {
                    Thread.onSpinWait();
                    continue;
                }
                sender.send(accept(++sent, value));
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long delivered = received.sum() - base;
            System.out.printf(Locale.ROOT,
                "settings: %d s, Accept of one %d-byte command = %d-byte frame, window %d, queue %d, loopback 127.0.0.1%n",
                seconds, payloadBytes, frameBytes, window, options.queueCapacity());
            System.out.printf(Locale.ROOT, "delivered %,d messages in %.2f s: %,.0f messages/s, %.1f MB/s; dropped %d%n",
                delivered, elapsed, delivered / elapsed, delivered * (double) frameBytes / elapsed / 1e6,
                sender.messagesDropped());
        }
    }

    private static void warmUp(TcpPeerTransport sender, LongAdder received, Value value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (int i = 0; i < 20_000 && System.nanoTime() < deadline; i++) {
            sender.send(accept(i + 1, value));
            if (i % 1000 == 999) {
                while (received.sum() < i - 2000 && System.nanoTime() < deadline) Thread.sleep(1);
            }
        }
        while (received.sum() + sender.messagesDropped() < 20_000 && System.nanoTime() < deadline) Thread.sleep(1);
    }

    private static Message accept(long slot, Value value) {
        return new Message.Accept(1, 2, new Ballot(3, 1), slot, value, slot - 1);
    }
}
