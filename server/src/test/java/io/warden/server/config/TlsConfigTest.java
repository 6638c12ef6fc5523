package io.warden.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.server.it.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tls} section and {@code --tls-*} flags: files are read at load time, mistakes name the field. */
class TlsConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestPki.Standard pki;

    @BeforeAll
    static void pki() {
        pki = TestPki.standard();
    }

    private static ObjectNode config(String host, Consumer<ObjectNode> tls) {
        ObjectNode c = JSON.createObjectNode().put("cell", "c").put("self", 1).put("dataDir", "/d");
        c.putArray("members").addObject().put("id", 1).put("host", host).put("clientPort", 7001).put("peerPort", 7101);
        if (tls != null) tls.accept(c.putObject("tls"));
        return c;
    }

    private static void pem(ObjectNode tls) {
        tls.put("certFile", pki.localhost().certPem().toString()).put("keyFile", pki.localhost().keyPem().toString())
            .put("caFile", pki.ca().caPem().toString());
    }

    private static ConfigException refusal(ObjectNode config) {
        try {
            ListenRule.check(ConfigLoader.parse(config, JSON.createObjectNode()));
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted: " + config);
    }

    @Test
    void pemAndPkcs12AreBothAccepted() {
        CellConfig pem = ConfigLoader.parse(config("127.0.0.1", TlsConfigTest::pem), JSON.createObjectNode());
        assertThat(pem.tls().clientAuth()).isEqualTo(TlsConfig.ClientAuth.WANT);
        assertThat(pem.selfMember().clientUrl()).isEqualTo("https://127.0.0.1:7001");
        CellConfig p12 = ConfigLoader.parse(config("127.0.0.1", t -> t.put("keystore", pki.localhost().p12().toString())
            .put("keystorePassword", TestPki.PASSWORD).put("truststore", pki.ca().caTruststore().toString())
            .put("truststorePassword", TestPki.PASSWORD).put("clientAuth", "need")), JSON.createObjectNode());
        assertThat(p12.tls().clientAuth()).isEqualTo(TlsConfig.ClientAuth.NEED);
        assertThat(p12.tls().files().sslContext()).isNotNull();
    }

    @Test
    void mistakesNameTheField(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        assertThat(refusal(config("127.0.0.1", t -> pem(t.put("ciphers", "all")))).field()).isEqualTo("tls.ciphers");
        assertThat(refusal(config("127.0.0.1", t -> {
            pem(t);
            t.remove("keyFile");
        })).field()).isEqualTo("tls.keyFile");
        assertThat(refusal(config("127.0.0.1", t -> {
            pem(t);
            t.remove("caFile");
        })).field()).isEqualTo("tls.caFile");
        assertThat(refusal(config("127.0.0.1", t -> pem(t.put("clientAuth", "maybe")))).field()).isEqualTo("tls.clientAuth");
        ConfigException wrongKey = refusal(config("127.0.0.1", t -> {
            pem(t);
            t.put("keyFile", pki.admin().keyPem().toString());
        }));
        assertThat(wrongKey.field()).isEqualTo("tls.certFile");
        assertThat(wrongKey.getMessage()).contains("is not the private key of the certificate");
        ConfigException badCa = refusal(config("127.0.0.1", t -> {
            pem(t);
            t.put("caFile", garbage.toString());
        }));
        assertThat(badCa.field()).isEqualTo("tls.caFile");
        assertThat(badCa.getMessage()).contains(garbage.toString());
        ConfigException badPassword = refusal(config("127.0.0.1", t -> t.put("keystore", pki.localhost().p12().toString())
            .put("keystorePassword", "wrong").put("caFile", pki.ca().caPem().toString())));
        assertThat(badPassword.field()).isEqualTo("tls.keystore");
        assertThat(badPassword.getMessage()).contains("wrong password?");
        ConfigException pkcs1 = refusal(config("127.0.0.1", t -> {
            pem(t);
            t.put("keyFile", write(dir, "rsa.pem", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n").toString());
        }));
        assertThat(pkcs1.getMessage()).contains("openssl pkcs8 -topk8");
    }

    /** Rule (ListenRule): beyond loopback, TLS and authentication, unless --insecure; loopback needs neither. */
    @Test
    void plainTrafficOnlyOnLoopbackUnlessInsecure(@TempDir Path dir) throws Exception {
        ConfigException e = refusal(config("0.0.0.0", null));
        assertThat(e.field()).isEqualTo("tls");
        assertThat(e.getMessage()).contains("0.0.0.0").contains("--insecure");
        ListenRule.check(ConfigLoader.parse(config("127.0.0.1", null), JSON.createObjectNode()));
        ListenRule.check(ConfigLoader.parse(config("localhost", null), JSON.createObjectNode()));
        ConfigException noAuth = refusal(config("0.0.0.0", TlsConfigTest::pem));
        assertThat(noAuth.field()).isEqualTo("auth");
        assertThat(noAuth.getMessage()).contains("without authentication").contains("--insecure");
        ObjectNode withAuth = config("0.0.0.0", TlsConfigTest::pem);
        withAuth.putObject("auth").put("clientCertificates", true).putArray("admins").add("admin");
        ListenRule.check(ConfigLoader.parse(withAuth, JSON.createObjectNode()));

        Path file = dir.resolve("c.json");
        JSON.writeValue(file.toFile(), config("0.0.0.0", null));
        CellConfig insecure = ConfigLoader.load(new String[] {"--config", file.toString(), "--insecure"});
        assertThat(insecure.insecure()).isTrue();
        ListenRule.check(insecure);
    }

    @Test
    void flagsGiveOrOverrideTheTlsFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.json");
        JSON.writeValue(file.toFile(), config("127.0.0.1", null));
        List<String> args = new ArrayList<>(List.of("--config", file.toString(), "--tls-keystore", pki.localhost().p12().toString(),
            "--tls-keystore-password", TestPki.PASSWORD, "--tls-ca", pki.ca().caPem().toString(), "--tls-client-auth", "need"));
        CellConfig c = ConfigLoader.load(args.toArray(String[]::new));
        assertThat(c.tls().files().keystore()).isEqualTo(pki.localhost().p12());
        assertThat(c.tls().clientAuth()).isEqualTo(TlsConfig.ClientAuth.NEED);
        assertThat(ConfigLoader.load(new String[] {"--config", file.toString()}).tls()).isNull();
    }

    private static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
