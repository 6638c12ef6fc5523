package io.warden.server.http;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.metrics.servlets.MetricsServlet;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.warden.server.config.CellConfig;
import io.warden.server.replica.ReplicaLoop;
import io.warden.server.security.Access;
import io.warden.server.security.Authenticator;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;

/** Jetty serving the client REST API (Jersey), {@code /metrics} and {@code /metrics/prometheus}; over HTTPS when the replica has TLS. */
public final class HttpServer {
    private final Server server;
    private final ServerConnector connector;
    private final Deadlines deadlines;

    public HttpServer(CellConfig config, ReplicaLoop loop, MetricRegistry registry) {
        server = new Server();
        ProblemMappers problems = new ProblemMappers(config::member);
        SecureRandom random = new SecureRandom();
        // Answers are written on Jetty's pool; only non-blocking ones also on the replica loop's thread (CellGateway).
        deadlines = new Deadlines(server.getScheduler());
        CellGateway cell = new CellGateway(loop, server.getThreadPool(), deadlines, random.nextLong(1L << 40, Long.MAX_VALUE));
        Access access = new Access(config.auth(), cell);
        RequestTimer timers = new RequestTimer(registry);
        Authenticator authenticator = new Authenticator(config.auth());
        SessionResource sessions = new SessionResource(cell, access);
        LockResource locks = new LockResource(cell, access);
        ResourceConfig api = new ResourceConfig()
            .register(JacksonFeature.withoutExceptionMappers())
            .register(JsonMapper.class)
            .register(problems)
            .register(timers)
            .register(authenticator)
            .register(ZeroWeightAccept.class)
            .register(BodyLimit.class)
            .register(new CellResource(loop, config))
            .register(new KvResource(cell, access))
            .register(sessions)
            .register(locks)
            .register(new SequencerResource(cell, access))
            .register(new GroupResource(cell, access))
            .register(new EventResource(cell, problems, access))
            .register(new AclResource(cell, access))
            .register(new AuditResource(cell, access))
            .register(new LimitsResource(cell))
            .register(new OpenApiResource())
            .property(ServerProperties.WADL_FEATURE_DISABLE, true)
            .property(ServerProperties.BV_FEATURE_DISABLE, true);
        connector = ClientApiConnector.create(server, config.selfMember(), config.tls());
        server.addConnector(connector);
        // Bounds the memory connections hold (buffers, parsers, Jetty's jobs for them): past it the
        // connector stops accepting and new clients wait in the kernel's backlog, while the
        // connections already open (and the KeepAlives they carry) go on being served.
        server.addBean(new NetworkConnectionLimit(config.loadLimits().maxConnections(), connector));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder jersey = new ServletHolder("api", new ServletContainer(api));
        jersey.setAsyncSupported(true); // resources answer with CompletionStage: no thread waits for Paxos
        context.addServlet(jersey, "/*");
        context.addServlet(new ServletHolder("metrics", new MetricsServlet(registry)), "/metrics");
        PrometheusRegistry prometheus = new PrometheusRegistry();
        prometheus.register(new DropwizardExports(registry));
        context.addServlet(new ServletHolder("prometheus", new PrometheusMetricsServlet(prometheus)), "/metrics/prometheus");
        context.setErrorHandler(new ProblemErrorHandler());
        server.setErrorHandler(new ProblemErrorHandler());
        server.setHandler(new HotPath(authenticator, problems, timers, locks, sessions, context));
    }

    public void start() throws Exception {
        server.start();
        deadlines.start();
    }

    /** The address actually bound (the configured port, or the one chosen for port 0). */
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    public void stop() throws Exception {
        server.stop();
    }
}
