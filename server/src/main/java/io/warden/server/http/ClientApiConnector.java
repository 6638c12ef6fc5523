package io.warden.server.http;

import io.warden.server.config.Member;
import io.warden.server.config.TlsConfig;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The client API's listening socket on the replica's own address: plain HTTP without TLS, and
 * HTTPS only with it (like etcd and Chubby, no plain port beside it: one way in, all of it
 * encrypted). With TLS, clients are asked for a certificate, verified against the cell's CA
 * ({@link TlsConfig.ClientAuth#WANT}) or required ({@code NEED}); a verified chain is handed to
 * the application as the servlet request attribute {@code jakarta.servlet.request.X509Certificate}.
 */
final class ClientApiConnector {
    private ClientApiConnector() {}

    static ServerConnector create(Server server, Member self, TlsConfig tls) {
        ConnectionFactory[] protocols = tls == null ? new ConnectionFactory[] {new HttpConnectionFactory()} : https(tls);
        ServerConnector connector = new ServerConnector(server, new ConnectorExecutor(server.getThreadPool()), null, null, -1, -1,
            protocols);
        connector.setHost(self.host());
        connector.setPort(self.clientPort());
        return connector;
    }

    private static ConnectionFactory[] https(TlsConfig tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls.files().sslContext());
        ssl.setWantClientAuth(true);
        ssl.setNeedClientAuth(tls.clientAuth() == TlsConfig.ClientAuth.NEED);
        HttpConfiguration config = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Clients reach replicas by IP address as often as by name; the certificate's SANs are
        // the client's to check (hostname verification), not a reason for the server to refuse.
        secure.setSniHostCheck(false);
        config.addCustomizer(secure);
        config.setSecureScheme("https");
        return new ConnectionFactory[] {new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(config)};
    }
}
