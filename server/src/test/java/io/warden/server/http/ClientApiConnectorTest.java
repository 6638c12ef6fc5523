package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.client.TlsOptions;
import io.warden.server.config.Member;
import io.warden.server.config.TlsConfig;
import io.warden.server.it.TestPki;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The client API's HTTPS connector hands the verified client certificate to the application as the
 * servlet attribute {@code jakarta.servlet.request.X509Certificate} (what authentication reads),
 * asks for one under "want" and insists under "need". A real Jetty on 127.0.0.1 with a servlet that
 * echoes the attribute.
 */
class ClientApiConnectorTest {
    private static final String ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    /** Answers with the subject of the first client certificate, or "none". */
    static final class EchoCertificate extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            X509Certificate[] chain = (X509Certificate[]) req.getAttribute(ATTRIBUTE);
            resp.getWriter().print(req.getScheme() + " " + (chain == null ? "none" : chain[0].getSubjectX500Principal().getName()));
        }
    }

    @Test
    void wantAsksForTheClientCertificateAndHandsItOn() throws Exception {
        TestPki.Standard pki = TestPki.standard();
        try (Running server = start(pki, TlsConfig.ClientAuth.WANT)) {
            TlsOptions trusting = TlsOptions.trustingCa(pki.ca().caPem());
            assertThat(get(server.url(), trusting.withCertificate(pki.admin().certPem(), pki.admin().keyPem()))).isEqualTo("https CN=admin");
            assertThat(get(server.url(), trusting)).isEqualTo("https none");
            // The server names the cell's CA as the issuer it accepts, so a certificate from another CA is
            // not even offered: nothing unverified ever reaches the attribute.
            TlsOptions foreign = trusting.withCertificate(pki.foreignReplica3().certPem(), pki.foreignReplica3().keyPem());
            assertThat(get(server.url(), foreign)).isEqualTo("https none");
        }
    }

    @Test
    void needRefusesAClientWithoutACertificate() throws Exception {
        TestPki.Standard pki = TestPki.standard();
        try (Running server = start(pki, TlsConfig.ClientAuth.NEED)) {
            TlsOptions trusting = TlsOptions.trustingCa(pki.ca().caPem());
            assertThatThrownBy(() -> get(server.url(), trusting)).isInstanceOf(IOException.class);
            assertThat(get(server.url(), trusting.withKeystore(pki.admin().p12(), TestPki.PASSWORD))).isEqualTo("https CN=admin");
        }
    }

    record Running(Server server, String url) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException("stopping Jetty", e);
            }
        }
    }

    private static Running start(TestPki.Standard pki, TlsConfig.ClientAuth auth) throws Exception {
        Server server = new Server();
        TlsOptions files = TlsOptions.trustingCa(pki.ca().caPem()).withCertificate(pki.localhost().certPem(), pki.localhost().keyPem());
        ServerConnector connector = ClientApiConnector.create(server, new Member(1, "127.0.0.1", 0, 1), new TlsConfig(files, auth));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new EchoCertificate()), "/*");
        server.setHandler(context);
        server.start();
        return new Running(server, "https://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    private static String get(String url, TlsOptions tls) throws IOException, InterruptedException {
        SSLContext ctx = tls.sslContext();
        HttpClient client = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }
}
