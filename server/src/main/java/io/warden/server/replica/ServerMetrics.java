package io.warden.server.replica;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/** The replica's own metrics, registered once in the process's registry under {@code warden.*}. */
public final class ServerMetrics {
    final MetricRegistry registry;
    final Meter proposals;
    final Timer decideLatency;
    final Timer fsyncLatency;
    final Histogram batchCommands;
    final Counter elections;
    final Counter leaseRenewals;
    final Counter masterChanges;
    final Meter readsServed;

    public ServerMetrics(MetricRegistry registry) {
        this.registry = registry;
        proposals = registry.meter("warden.paxos.proposals");
        decideLatency = registry.timer("warden.paxos.decide.latency");
        fsyncLatency = registry.timer("warden.storage.fsync.latency");
        batchCommands = registry.histogram("warden.paxos.batch.commands");
        elections = registry.counter("warden.paxos.elections");
        leaseRenewals = registry.counter("warden.paxos.lease.renewals");
        masterChanges = registry.counter("warden.paxos.master.changes");
        readsServed = registry.meter("warden.reads.served");
    }

    public MetricRegistry registry() {
        return registry;
    }
}
