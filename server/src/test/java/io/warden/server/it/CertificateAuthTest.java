package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.api.Permission;
import io.warden.client.Grant;
import io.warden.client.RetryPolicy;
import io.warden.client.Session;
import io.warden.client.TlsOptions;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.server.it.TestPki.Issued;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Authentication by client certificate on a real TLS cell (three processes, certificates made by
 * keytool): the certificate's CN is the principal. A client with the cell's CA but neither a
 * certificate nor a token is refused (401); the bootstrap administrator's certificate may do
 * anything; a certificate whose principal was granted only {@code read} may inspect but gets 403
 * for an acquire, which changes nothing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CertificateAuthTest {
    private static TestPki.Standard pki;
    private static Issued reader;
    private static LocalCell cell;

    @BeforeAll
    static void start() throws IOException {
        pki = TestPki.standard();
        reader = pki.ca().issue("reader", null);
        SSLContext admin = TlsOptions.trustingCa(pki.ca().caPem()).withCertificate(pki.admin().certPem(), pki.admin().keyPem()).sslContext();
        cell = LocalCell.createWithTls(TestPki.Standard.CELL, 3, LocalCell.Timings.fast(), CertificateAuthTest::tlsSection, admin);
        for (int i = 1; i <= 3; i++) {
            cell.editConfig(i, c -> c.putObject("auth").put("clientCertificates", true).putArray("admins").add("admin"));
        }
        cell.startAll();
    }

    @AfterAll
    static void stop() {
        if (cell != null) cell.close();
    }

    private static ObjectNode tlsSection(int i) {
        Issued own = pki.replicas()[i];
        return ReplicaClient.JSON.createObjectNode().put("certFile", own.certPem().toString())
            .put("keyFile", own.keyPem().toString()).put("caFile", pki.ca().caPem().toString());
    }

    private static WardenClient client(TlsOptions tls) {
        return WardenClient.builder().endpoints(cell.url(1), cell.url(2), cell.url(3)).tls(tls)
            .retryPolicy(new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(20))).build();
    }

    @Test
    void theCertificateIsWhoCallsAndWhatItMayDo() throws Exception {
        cell.awaitMaster(Duration.ofSeconds(60));
        TlsOptions caOnly = TlsOptions.trustingCa(pki.ca().caPem());
        try (WardenClient anonymous = client(caOnly)) {
            assertThatThrownBy(() -> anonymous.newSession(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(WardenException.class, e -> assertThat(e.status()).isEqualTo(401));
        }

        try (WardenClient admin = client(caOnly.withCertificate(pki.admin().certPem(), pki.admin().keyPem()));
             WardenClient readerClient = client(caOnly.withCertificate(reader.certPem(), reader.keyPem()))) {
            admin.setAcl("/", "reader", Permission.READ);
            try (Session s = admin.newSession(Duration.ofSeconds(10)); Grant g = s.lock("/certs/job").acquire()) {
                assertThat(g.token()).isPositive();
                assertThat(readerClient.inspect("/certs/job")).as("read lets the reader inspect").isPresent()
                    .get().satisfies(view -> assertThat(view.toString()).contains("admin"));
            }
            try (Session s = readerClient.newSession(Duration.ofSeconds(10))) {
                assertThatThrownBy(() -> s.lock("/certs/other").acquire())
                    .isInstanceOfSatisfying(WardenException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.getMessage()).contains("reader").contains("lock");
                    });
            }
            assertThat(admin.inspect("/certs/other")).as("the refused acquire changed nothing").isEmpty();
        }
    }
}
