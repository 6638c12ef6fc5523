package io.warden.cli.bench;

import java.time.Duration;
import java.util.List;

/**
 * What one bench run was asked to do; printed first, and recorded with every row. The workload
 * definitions follow the peer harness (ZooKeeper + Curator, etcd + jetcd) so figures compare.
 *
 * @param run            a label for this run, part of every lock name (runs never share locks)
 * @param warmup         unmeasured time before each W1/W2 measurement
 * @param duration       measured time of each W1/W2 point
 * @param w1Clients      W1 points: clients, each with its own lock
 * @param w2Clients      W2 points: clients sharing one lock
 * @param w3Levels       W3: session counts to grow to, in order
 * @param w3Hold         W3: how long each level is held while the probe runs
 * @param w3Creators     W3: concurrent session creators
 * @param w3Connections  W3: clients (connections) the sessions are spread over
 * @param w4Trials       W4: kill -9 trials
 * @param sessionTimeout every session's timeout (the peers' session timeout / lease TTL)
 */
public record Settings(String run, Duration warmup, Duration duration, List<Integer> w1Clients, List<Integer> w2Clients,
                       List<Integer> w3Levels, Duration w3Hold, int w3Creators, int w3Connections, int w4Trials,
                       Duration sessionTimeout) {
    /** Caps that bound every loop in count as well as in time. */
    static final long MAX_OPS_PER_THREAD = 2_000_000;
    static final int MAX_ERRORS_PER_THREAD = 1_000;
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

    public String describe() {
        return "run=" + run + " warmup=" + warmup.toSeconds() + "s duration=" + duration.toSeconds() + "s w1-clients=" + w1Clients
            + " w2-clients=" + w2Clients + " w3-levels=" + w3Levels + " w3-hold=" + w3Hold.toSeconds() + "s w3-creators=" + w3Creators
            + " w3-connections=" + w3Connections + " w4-trials=" + w4Trials + " session-timeout=" + sessionTimeout.toMillis() + "ms";
    }
}
