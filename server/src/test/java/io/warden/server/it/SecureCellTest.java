package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.client.Grant;
import io.warden.client.RetryPolicy;
import io.warden.client.Session;
import io.warden.client.TlsOptions;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.server.it.ReplicaClient.Reply;
import io.warden.server.it.TestPki.Issued;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A cell of three real replica processes with real certificates (made by keytool): the client API
 * is HTTPS only, peer links are mutual TLS, and a peer is accepted only with a certificate from the
 * cell's CA that names the member it claims to be (docs/security.md, "Transport security").
 * Replica 1 uses PEM files and requires client certificates; replica 2 a PKCS#12 keystore; replica
 * 3 PEM with a PKCS#12 truststore for the CA.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureCellTest {
    private static TestPki.Standard pki;
    private static LocalCell cell;

    @BeforeAll
    static void start() throws IOException {
        pki = TestPki.standard();
        SSLContext admin = TlsOptions.trustingCa(pki.ca().caPem()).withCertificate(pki.admin().certPem(), pki.admin().keyPem()).sslContext();
        cell = LocalCell.createWithTls(TestPki.Standard.CELL, 3, LocalCell.Timings.fast(), SecureCellTest::tlsSection, admin);
        cell.startAll();
    }

    @AfterAll
    static void stop() {
        if (cell != null) cell.close();
    }

    private static ObjectNode tlsSection(int i) {
        Issued own = pki.replicas()[i];
        ObjectNode tls = ReplicaClient.JSON.createObjectNode();
        switch (i) {
            case 1 -> tls.put("certFile", own.certPem().toString()).put("keyFile", own.keyPem().toString())
                .put("caFile", pki.ca().caPem().toString()).put("clientAuth", "need");
            case 2 -> tls.put("keystore", own.p12().toString()).put("keystorePassword", TestPki.PASSWORD)
                .put("caFile", pki.ca().caPem().toString());
            default -> tls.put("certFile", own.certPem().toString()).put("keyFile", own.keyPem().toString())
                .put("truststore", pki.ca().caTruststore().toString()).put("truststorePassword", TestPki.PASSWORD);
        }
        return tls;
    }

    /** The cell elects a master over mutual TLS, and the client library works over https with the CA and a client certificate. */
    @Test
    @Order(1)
    void servesOverHttpsAndElectsAMaster() throws InterruptedException {
        int master = awaitMaster();
        Reply view = cell.cell(master);
        assertThat(view.body().path("master").path("url").asText()).as("%s", view).startsWith("https://");
        TlsOptions tls = TlsOptions.trustingCa(pki.ca().caPem()).withKeystore(pki.admin().p12(), TestPki.PASSWORD);
        try (WardenClient client = WardenClient.builder().endpoints(cell.url(1), cell.url(2), cell.url(3)).tls(tls).build();
             Session session = client.newSession(Duration.ofSeconds(10));
             Grant grant = session.lock("/tls/demo").acquire()) {
            assertThat(grant.token()).isPositive();
            assertThat(client.inspect("/tls/demo")).isPresent();
        }
    }

    /** No plain HTTP beside HTTPS; a client that does not trust the cell's CA cannot connect; "need" refuses a client without a certificate. */
    @Test
    @Order(2)
    void clientsWithoutTheCaOrACertificateAreRefused() {
        awaitMaster();
        Reply untrusting = new ReplicaClient().cell(cell.url(2));
        assertThat(untrusting.status()).as("a client trusting only the JVM's CAs: %s", untrusting).isZero();
        assertThat(untrusting.error()).containsAnyOf("PKIX", "certification path", "SSLHandshake");
        Reply plain = new ReplicaClient().cell(cell.url(2).replace("https://", "http://"));
        assertThat(plain.status()).as("plain http to the https port: %s", plain).isNotEqualTo(200);

        SSLContext caOnly = TlsOptions.trustingCa(pki.ca().caPem()).sslContext();
        assertThat(new ReplicaClient(caOnly).cell(cell.url(2)).status()).as("replica 2 only asks for a certificate").isEqualTo(200);
        Reply refused = new ReplicaClient(caOnly).cell(cell.url(1));
        assertThat(refused.status()).as("replica 1 requires a client certificate: %s", refused).isZero();

        RetryPolicy brief = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500));
        try (WardenClient client = WardenClient.builder().endpoints(cell.url(2)).retryPolicy(brief).build()) {
            assertThatThrownBy(() -> client.newSession(Duration.ofSeconds(10))).isInstanceOf(WardenException.class);
        }
    }

    /**
     * Replica 3 restarted with replica 2's certificate (valid, from the cell's CA) is refused both
     * ways and never connects; then with a certificate for member 3 from another CA, likewise;
     * then with its own certificate it rejoins (so the refusals are not just slowness).
     */
    @Test
    @Order(3)
    void aPeerMustProveTheMemberIdItClaims() throws IOException {
        int master = awaitMaster();
        if (master == 3) {
            cell.terminate(3);
            master = awaitMaster();
        } else {
            cell.terminate(3);
        }
        Issued stolen = pki.replicas()[2];
        cell.editConfig(3, c -> ((ObjectNode) c.get("tls")).put("certFile", stolen.certPem().toString()).put("keyFile", stolen.keyPem().toString()));
        cell.start(3);
        int m = master;
        awaitLog(m, "claims to be member 3, but its certificate");
        awaitLog(m, "is not member 3: its certificate");
        assertNotConnected(m, 3, Duration.ofSeconds(3));

        cell.terminate(3);
        Issued foreign = pki.foreignReplica3();
        cell.editConfig(3, c -> ((ObjectNode) c.get("tls")).put("certFile", foreign.certPem().toString()).put("keyFile", foreign.keyPem().toString()));
        cell.start(3);
        awaitLog(m, "TLS handshake failed");
        assertNotConnected(m, 3, Duration.ofSeconds(3));

        cell.terminate(3);
        Issued own = pki.replicas()[3];
        cell.editConfig(3, c -> ((ObjectNode) c.get("tls")).put("certFile", own.certPem().toString()).put("keyFile", own.keyPem().toString()));
        cell.start(3);
        LocalCell.await(() -> "replica 3 rejoins: " + cell.views(), Duration.ofSeconds(30), () -> peerConnected(m, 3));
    }

    private static int awaitMaster() {
        try {
            return cell.awaitMaster(Duration.ofSeconds(60));
        } catch (AssertionError e) {
            cell.printLogTails(System.out, 40);
            throw e;
        }
    }

    private static void awaitLog(int replica, String text) {
        LocalCell.await(() -> "replica " + replica + "'s log says '" + text + "':\n" + cell.logSinceStart(replica), Duration.ofSeconds(30),
            () -> cell.logSinceStart(replica).contains(text));
    }

    private static void assertNotConnected(int replica, int peer, Duration during) {
        long deadline = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(peerConnected(replica, peer)).as("replica %d is connected to impostor %d: %s", replica, peer, cell.cell(replica)).isFalse();
            LocalCell.sleep(100);
        }
    }

    private static boolean peerConnected(int replica, int peer) {
        Reply r = cell.cell(replica);
        if (!r.ok()) return false;
        for (JsonNode member : r.body().path("members")) {
            if (member.path("id").asInt() == peer) return member.path("reachable").asBoolean();
        }
        return false;
    }
}
