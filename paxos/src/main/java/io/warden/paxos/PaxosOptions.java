package io.warden.paxos;

import io.warden.leases.DriftBound;
import io.warden.leases.LeaseTerms;
import java.util.EnumSet;
import java.util.Set;

/**
 * The core's tunables. Every replica of a cell must use the same lease terms; the rest may differ.
 *
 * @param masterLease          the master lease D and the drift bound ε it is computed under
 * @param renewIntervalMillis  how often the master asks for a lease extension (and heartbeats)
 * @param electionJitterMillis randomized back-off added to every election timeout, so duelling
 *                             proposers settle
 * @param retryMillis          resend interval for unanswered prepares, accepts and catch-up requests
 * @param windowSlots          slots a master keeps in flight at once (pipelining)
 * @param maxBatchCommands     commands packed into one slot (batching)
 * @param snapshotEverySlots   applied slots between snapshots (which bound the log); replicas take theirs at staggered slots
 * @param catchUpMaxSlots      decided slots sent in one catch-up reply
 * @param exactlyOncePerClient outcomes remembered per client for retries
 * @param exactlyOnceClients   clients remembered by the exactly-once table
 * @param plantedBugs          test-only protocol bugs; empty in every real replica
 */
public record PaxosOptions(
    LeaseTerms masterLease,
    long renewIntervalMillis,
    long electionJitterMillis,
    long retryMillis,
    int windowSlots,
    int maxBatchCommands,
    long snapshotEverySlots,
    int catchUpMaxSlots,
    int exactlyOncePerClient,
    int exactlyOnceClients,
    Set<PlantedBug> plantedBugs) {

    public PaxosOptions {
        if (renewIntervalMillis <= 0 || renewIntervalMillis * 2 > masterLease.holderMillis()) {
            throw new IllegalArgumentException("renewIntervalMillis must be positive and at most half the held lease ("
                + masterLease.holderMillis() + " ms), got " + renewIntervalMillis);
        }
        if (electionJitterMillis < 1 || retryMillis < 1) throw new IllegalArgumentException("jitter and retry must be >= 1 ms");
        if (windowSlots < 1 || maxBatchCommands < 1 || snapshotEverySlots < 1 || catchUpMaxSlots < 1) {
            throw new IllegalArgumentException("window, batch, snapshot interval and catch-up size must be >= 1");
        }
        plantedBugs = plantedBugs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(plantedBugs));
    }

    /**
     * Defaults for a real cell: a 2 s master lease renewed every 400 ms, ε = 1 %; one slot in
     * flight, whatever arrives meanwhile going out together in the next (up to 4,096 commands).
     * Every slot costs each replica a turn, a log write and an fsync, so under load fewer, fuller
     * slots win: against 64 in flight, 32 clients ran ~20 % more cycles/s on ~15 % less CPU each,
     * at ~10 % fewer handoffs/s on one contended lock (docs/benchmarks.md item 25).
     */
    public static PaxosOptions defaults() {
        return new PaxosOptions(new LeaseTerms(2_000, DriftBound.standard()), 400, 300, 100, 1, 4096,
            10_000, 512, 64, 100_000, Set.of());
    }

    public boolean has(PlantedBug bug) {
        return plantedBugs.contains(bug);
    }

    /** Time a follower waits after last hearing from a master before it campaigns (before jitter). */
    public long electionTimeoutMillis() {
        return masterLease.grantorMillis();
    }

    public PaxosOptions withMasterLease(LeaseTerms lease, long renewMillis) {
        return new PaxosOptions(lease, renewMillis, electionJitterMillis, retryMillis, windowSlots, maxBatchCommands,
            snapshotEverySlots, catchUpMaxSlots, exactlyOncePerClient, exactlyOnceClients, plantedBugs);
    }

    public PaxosOptions withElectionJitter(long jitterMillis) {
        return new PaxosOptions(masterLease, renewIntervalMillis, jitterMillis, retryMillis, windowSlots,
            maxBatchCommands, snapshotEverySlots, catchUpMaxSlots, exactlyOncePerClient, exactlyOnceClients, plantedBugs);
    }

    public PaxosOptions withSnapshotEverySlots(long slots) {
        return new PaxosOptions(masterLease, renewIntervalMillis, electionJitterMillis, retryMillis, windowSlots,
            maxBatchCommands, slots, catchUpMaxSlots, exactlyOncePerClient, exactlyOnceClients, plantedBugs);
    }

    public PaxosOptions withBatching(int window, int maxBatch) {
        return new PaxosOptions(masterLease, renewIntervalMillis, electionJitterMillis, retryMillis, window,
            maxBatch, snapshotEverySlots, catchUpMaxSlots, exactlyOncePerClient, exactlyOnceClients, plantedBugs);
    }

    public PaxosOptions withPlantedBugs(Set<PlantedBug> bugs) {
        return new PaxosOptions(masterLease, renewIntervalMillis, electionJitterMillis, retryMillis, windowSlots,
            maxBatchCommands, snapshotEverySlots, catchUpMaxSlots, exactlyOncePerClient, exactlyOnceClients, bugs);
    }
}
