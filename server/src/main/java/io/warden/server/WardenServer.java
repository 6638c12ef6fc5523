package io.warden.server;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import com.codahale.metrics.jvm.ThreadStatesGaugeSet;
import io.warden.client.SystemClock;
import io.warden.leases.MonotonicClock;
import io.warden.paxos.DecisionListener;
import io.warden.paxos.PaxosReplica;
import io.warden.paxos.storage.DurablePaxosStorage;
import io.warden.server.cell.CellState;
import io.warden.server.config.CellConfig;
import io.warden.server.config.ConfigException;
import io.warden.server.config.ConfigLoader;
import io.warden.server.config.DataDirectory;
import io.warden.server.config.ListenRule;
import io.warden.server.http.HttpServer;
import io.warden.server.replica.ReplicaLoop;
import io.warden.server.replica.ServerMetrics;
import io.warden.server.replica.TimedSnapshots;
import io.warden.server.transport.PeerTls;
import io.warden.server.transport.TcpPeerTransport;
import io.warden.server.transport.TcpTransportOptions;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One replica process: {@code bin/warden server --config FILE [flags]}. Wires the durable storage,
 * the Paxos core, the peer transport, the replica loop and the REST API, all in this one place,
 * and stops them cleanly on SIGTERM.
 */
public final class WardenServer {
    private static final Logger log = LoggerFactory.getLogger(WardenServer.class);

    private final CellConfig config;
    private final DurablePaxosStorage storage;
    private final TcpPeerTransport transport;
    private final ReplicaLoop loop;
    private final HttpServer http;

    public WardenServer(CellConfig config) {
        this(config, SystemClock.monotonic());
    }

    /** With a given clock: the system's, or (tests only) one a fault injector controls. */
    WardenServer(CellConfig config, MonotonicClock clock) {
        this(config, clock, DurablePaxosStorage.Options.defaults());
    }

    /** With given storage options too (the {@link WarmUp}'s cell: small log segments, it writes little). */
    WardenServer(CellConfig config, MonotonicClock clock, DurablePaxosStorage.Options storageOptions) {
        this.config = config;
        ListenRule.check(config);
        if (config.tls() == null && config.insecure()) warnInsecure(config);
        Path paxosDir = DataDirectory.open(config);
        MetricRegistry registry = new MetricRegistry();
        registry.register("jvm.memory", new MemoryUsageGaugeSet());
        registry.register("jvm.gc", new GarbageCollectorMetricSet());
        registry.register("jvm.threads", new ThreadStatesGaugeSet());
        storage = DurablePaxosStorage.open(paxosDir, storageOptions);
        CellState state = new CellState(config.limits());
        PaxosReplica replica = new PaxosReplica(config.self(), config.configuration(), config.paxosOptions(), storage,
            new TimedSnapshots(state, ServerMetrics.timer(registry, "warden.state.snapshot.capture"),
                ServerMetrics.timer(registry, "warden.state.snapshot.encode")), clock, new SplittableRandom(),
            DecisionListener.NONE);
        transport = new TcpPeerTransport(config.cell() + "#" + config.fingerprint(), config.self(), config.selfMember(),
            config.members(), TcpTransportOptions.defaults(),
            config.tls() == null ? null : new PeerTls(config.tls().files().sslContext(), config.cell()));
        loop = new ReplicaLoop(replica, storage, state, transport, clock, config.timings().tickMillis(),
            config.configuration().members(), new ServerMetrics(registry), config.loadLimits());
        http = new HttpServer(config, loop, registry);
    }

    /** Said at every start with --insecure and no TLS, so nobody runs exposed without noticing. */
    private static void warnInsecure(CellConfig config) {
        String where = config.selfMember().host() + " (client port " + config.selfMember().clientPort()
            + ", peer port " + config.selfMember().peerPort() + ")";
        log.warn("****************************************************************************");
        log.warn("WARNING: --insecure: replica {} serves plain HTTP and plain peer TCP on {}.", config.self(), where);
        log.warn("WARNING: anyone who can reach it can read and forge cell traffic and join as a peer.");
        log.warn("WARNING: configure \"tls\" (docs/security.md) before exposing a cell beyond loopback.");
        log.warn("****************************************************************************");
    }

    public void start() throws Exception {
        loop.start();
        http.start();
        log.info("replica {} of cell {} serving {} (peers on {}:{}), data in {}", config.self(), config.cell(),
            config.selfMember().clientUrl(), config.selfMember().host(), config.selfMember().peerPort(), config.dataDir());
    }

    /** The client API's bound address (useful when the configured port is 0). */
    public java.net.InetSocketAddress httpAddress() {
        return http.address();
    }

    /** Stops serving, finishes the loop's last fsync, closes connections and files. */
    public void stop() {
        try {
            http.stop();
        } catch (Exception e) {
            log.warn("stopping the HTTP server", e);
        }
        loop.close();
        transport.close();
        storage.close();
        log.info("replica {} stopped cleanly", config.self());
    }

    /**
     * Removes {@link ConfigLoader#WARM_UP_FLAG} (lock cycles for {@link WarmUp} before joining the cell) and its value
     * from {@code args}; returns the value (0, the default, without the flag: no warm-up).
     */
    static long takeWarmUpCycles(java.util.List<String> args) {
        int at = args.indexOf(ConfigLoader.WARM_UP_FLAG);
        if (at < 0) return 0;
        String value = at + 1 < args.size() ? args.get(at + 1) : null;
        args.subList(at, Math.min(at + 2, args.size())).clear();
        try {
            long n = Long.parseLong(value == null ? "" : value);
            if (n >= 0 && n <= 1_000_000) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ConfigException(ConfigLoader.WARM_UP_FLAG, "needs a number of lock cycles from 0 to 1000000, not "
            + (value == null ? "nothing" : "'" + value + "'"));
    }

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        WardenServer server;
        java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(args));
        MonotonicClock clock = SystemClock.monotonic();
        int flag = rest.indexOf("--test-only-clock-control");
        if (flag >= 0 && flag + 1 < rest.size()) {
            clock = new ControlledClock(java.nio.file.Path.of(rest.get(flag + 1)));
            rest.remove(flag + 1);
            rest.remove(flag);
        }
        long warmUpCycles;
        try {
            warmUpCycles = takeWarmUpCycles(rest);
            server = new WardenServer(ConfigLoader.load(rest.toArray(String[]::new)), clock);
        } catch (ConfigException e) {
            System.err.println("warden server: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        WarmUp.beforeJoining(warmUpCycles, server.config.dataDir());
        try {
            server.start();
        } catch (Exception e) {
            System.err.println("warden server: cannot start: " + e.getMessage());
            log.error("start-up failed", e);
            System.exit(1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "warden-shutdown"));
    }
}
