package io.warden.paxos.sim;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The simulated network between replicas: per-message loss, duplication and delay (which also
 * reorders), occasional very late messages (from an old view), and directed link cuts that model
 * partitions: symmetric splits, one-way cuts, an isolated master, a majority ring, a bridge.
 */
final class SimNetwork {
    enum PartitionKind { SPLIT, ONE_WAY, ISOLATE_ONE, MAJORITY_RING, BRIDGE }

    private final RandomGenerator random;
    private final Set<Long> cut = new HashSet<>();
    private double lossProbability;
    private double duplicateProbability;
    private long maxDelayMillis;
    private double lateProbability;

    SimNetwork(RandomGenerator random, double loss, double duplicate, long maxDelayMillis, double late) {
        this.random = random;
        this.lossProbability = loss;
        this.duplicateProbability = duplicate;
        this.maxDelayMillis = maxDelayMillis;
        this.lateProbability = late;
    }

    boolean connected(int from, int to) {
        return from == to || !cut.contains(link(from, to));
    }

    /** Delivery delays for one message sent now: none (lost), one, or two (duplicated). */
    long[] delays(int from, int to) {
        if (!connected(from, to) || random.nextDouble() < lossProbability) return new long[0];
        int copies = random.nextDouble() < duplicateProbability ? 2 : 1;
        long[] out = new long[copies];
        for (int i = 0; i < copies; i++) {
            out[i] = random.nextDouble() < lateProbability ? 200 + random.nextLong(3_000) : 1 + random.nextLong(maxDelayMillis);
        }
        return out;
    }

    /** Cuts links according to {@code kind}; {@code focus} is the replica singled out, if any. */
    String partition(PartitionKind kind, List<Integer> ids, int focus) {
        cut.clear();
        int n = ids.size();
        switch (kind) {
            case SPLIT -> {
                int minority = 1 + random.nextInt(Math.max(1, n / 2));
                Set<Integer> side = new HashSet<>();
                while (side.size() < minority) side.add(ids.get(random.nextInt(n)));
                for (int a : ids) for (int b : ids) if (side.contains(a) != side.contains(b)) cut.add(link(a, b));
                return "split " + side + " from the rest";
            }
            case ONE_WAY -> {
                boolean outbound = random.nextBoolean();
                for (int b : ids) if (b != focus) cut.add(outbound ? link(focus, b) : link(b, focus));
                return (outbound ? "nothing leaves " : "nothing reaches ") + focus;
            }
            case ISOLATE_ONE -> {
                for (int b : ids) if (b != focus) { cut.add(link(focus, b)); cut.add(link(b, focus)); }
                return "isolate " + focus;
            }
            case BRIDGE -> {
                // One link cut: the two ends can each reach the rest, which bridges them (Jepsen's "bridge").
                if (n == 1) return "no link to cut";
                int other = focus;
                while (other == focus) other = ids.get(random.nextInt(n));
                cut.add(link(focus, other));
                cut.add(link(other, focus));
                return "cut link " + focus + "-" + other;
            }
            case MAJORITY_RING -> {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        int d = Math.abs(i - j);
                        if (Math.min(d, n - d) > 1) cut.add(link(ids.get(i), ids.get(j)));
                    }
                }
                return "majority ring";
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Some messages arrive 0.2 to 3.2 s late: messages from an old view. */
    void oldViews(double probability) {
        lateProbability = probability;
    }

    void healPartitions() {
        cut.clear();
    }

    /** After the fault phase: a healthy network, so liveness can be judged. */
    void calm() {
        cut.clear();
        lossProbability = 0;
        duplicateProbability = 0;
        lateProbability = 0;
        maxDelayMillis = Math.min(maxDelayMillis, 5);
    }

    private static long link(int from, int to) {
        return ((long) from << 32) | to;
    }
}
