package io.warden.server.replica;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/** The replica's own metrics, registered once in the process's registry under {@code warden.*}. */
public final class ServerMetrics {
    final MetricRegistry registry;
    final Meter proposals;
    final Timer decideLatency;
    final Timer fsyncLatency;
    final Counter slowFsyncs;
    final Histogram batchCommands;
    final Counter elections;
    final Counter leaseRenewals;
    final Counter masterChanges;
    final Meter readsServed;

    public ServerMetrics(MetricRegistry registry) {
        this.registry = registry;
        proposals = registry.meter("warden.paxos.proposals");
        decideLatency = timer(registry, "warden.paxos.decide.latency");
        fsyncLatency = timer(registry, "warden.storage.fsync.latency");
        slowFsyncs = registry.counter("warden.storage.fsync.slow");
        batchCommands = registry.histogram("warden.paxos.batch.commands",
            () -> new Histogram(LockFreeExponentiallyDecayingReservoir.builder().build()));
        elections = registry.counter("warden.paxos.elections");
        leaseRenewals = registry.counter("warden.paxos.lease.renewals");
        masterChanges = registry.counter("warden.paxos.master.changes");
        readsServed = registry.meter("warden.reads.served");
    }

    /**
     * A timer updated on hot paths (every request, every decision): the lock-free reservoir, as the
     * default one takes a lock and a skip-list insert per update (seen at ~3 % of a master's CPU).
     */
    public static Timer timer(MetricRegistry registry, String name) {
        return registry.timer(name, () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
    }

    public MetricRegistry registry() {
        return registry;
    }
}
