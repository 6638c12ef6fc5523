package io.warden.paxos;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The table that makes client retries exactly-once: the outcome of each client's recent commands,
 * keyed by {@code (clientId, sequence)}. A command whose id is in the table is not applied again;
 * its first outcome is returned instead. It is replicated state: every replica builds the same table
 * by applying the same slots, and snapshots carry it (forgetting it in a state transfer is the
 * classic way a retried write gets applied twice).
 *
 * <p>Bounded, deterministically: each client keeps its {@code perClient} newest outcomes, and when
 * more than {@code maxClients} clients are known, the least recently active one is forgotten (the
 * order is that of application, the same on every replica, and snapshots carry it).
 * A command older than what its client still has on record is refused as {@link Outcome#tooOld},
 * never applied. Not thread-safe; owned by the replica's driving thread.
 */
final class ExactlyOnce {
    /** What a lookup found. */
    record Outcome(boolean seen, boolean tooOld, byte[] result) {
        static final Outcome NEW = new Outcome(false, false, null);
        static final Outcome TOO_OLD = new Outcome(true, true, null);
    }

    private static final class ClientRecord {
        final Results results = new Results();
        long lastSlot;
        long forgottenBelow; // sequences below this were evicted: refuse rather than re-apply
    }

    /**
     * One client's outcomes by sequence, ascending, in two small arrays: looked up and appended
     * once per command on every replica, where a TreeMap's scattered nodes cost a cache miss each.
     * They start small and grow as needed (a cell may remember 100,000 mostly idle clients).
     */
    private static final class Results {
        private long[] sequences = new long[2];
        private byte[][] outcomes = new byte[2][];
        private int size;

        byte[] get(long sequence) {
            int i = Arrays.binarySearch(sequences, 0, size, sequence);
            return i >= 0 ? outcomes[i] : null;
        }

        void put(long sequence, byte[] outcome) {
            int i = Arrays.binarySearch(sequences, 0, size, sequence);
            if (i >= 0) {
                outcomes[i] = outcome;
                return;
            }
            int at = -i - 1;
            if (size == sequences.length) {
                sequences = Arrays.copyOf(sequences, size * 2);
                outcomes = Arrays.copyOf(outcomes, size * 2);
            }
            System.arraycopy(sequences, at, sequences, at + 1, size - at);
            System.arraycopy(outcomes, at, outcomes, at + 1, size - at);
            sequences[at] = sequence;
            outcomes[at] = outcome;
            size++;
        }

        /** Drops the lowest sequence and returns it. */
        long pollFirst() {
            long first = sequences[0];
            System.arraycopy(sequences, 1, sequences, 0, size - 1);
            System.arraycopy(outcomes, 1, outcomes, 0, size - 1);
            outcomes[--size] = null;
            return first;
        }

        int size() {
            return size;
        }
    }

    private final int perClient;
    private final int maxClients;
    /** In order of last activity, least recent first: O(1) per command, and deterministic. */
    private final LinkedHashMap<Long, ClientRecord> clients = new LinkedHashMap<>(16, 0.75f, true);

    ExactlyOnce(int perClient, int maxClients) {
        if (perClient < 1 || maxClients < 1) throw new IllegalArgumentException("exactly-once bounds must be positive");
        this.perClient = perClient;
        this.maxClients = maxClients;
    }

    Outcome lookup(Command c) {
        if (c.clientId() == 0) return Outcome.NEW;
        ClientRecord r = clients.get(c.clientId()); // a lookup counts as activity, on every replica alike
        if (r == null) return Outcome.NEW;
        byte[] result = r.results.get(c.sequence());
        if (result != null) return new Outcome(true, false, result);
        if (c.sequence() < r.forgottenBelow) return Outcome.TOO_OLD;
        return Outcome.NEW;
    }

    void record(long slot, Command c, byte[] result) {
        if (c.clientId() == 0) return;
        ClientRecord r = clients.get(c.clientId()); // also marks it most recently active
        if (r == null) {
            r = new ClientRecord();
            clients.put(c.clientId(), r);
        }
        r.lastSlot = slot;
        r.results.put(c.sequence(), result);
        while (r.results.size() > perClient) {
            long dropped = r.results.pollFirst();
            r.forgottenBelow = Math.max(r.forgottenBelow, dropped + 1);
        }
        if (clients.size() > maxClients) {
            var eldest = clients.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    int clientCount() {
        return clients.size();
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(clients.size());
        for (Map.Entry<Long, ClientRecord> entry : clients.entrySet()) {
            ClientRecord r = entry.getValue();
            out.writeLong(entry.getKey());
            out.writeLong(r.lastSlot);
            out.writeLong(r.forgottenBelow);
            out.writeInt(r.results.size());
            for (int i = 0; i < r.results.size(); i++) {
                out.writeLong(r.results.sequences[i]);
                WireCodec.writeBytes(out, r.results.outcomes[i]);
            }
        }
    }

    void readFrom(DataInput in) throws IOException {
        clients.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            long id = in.readLong();
            ClientRecord r = new ClientRecord();
            r.lastSlot = in.readLong();
            r.forgottenBelow = in.readLong();
            int k = in.readInt();
            for (int j = 0; j < k; j++) r.results.put(in.readLong(), WireCodec.readBytes(in));
            clients.put(id, r);
        }
    }
}
