package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/warden cell up --secure}, as a new user would run it: a throwaway CA and certificates
 * made with keytool, three replicas over TLS, and an env file for the CLI; then the CLI against
 * it with {@code --cacert}, {@code --cert} and {@code --key} (PEM), and without the CA.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class SecureCellTest {
    private static LocalCell cell;

    @BeforeAll
    static void up() {
        cell = LocalCell.start("--secure");
    }

    @AfterAll
    static void down() throws Exception {
        if (cell != null) cell.close();
    }

    @Test
    void theCellServesHttpsAndTheEnvFileSaysHowToReachIt() throws Exception {
        assertThat(cell.endpoints).startsWith("https://127.0.0.1:");
        String env = Files.readString(cell.dir.resolve("env"));
        Path tls = cell.dir.resolve("tls");
        assertThat(env).contains("WARDEN_ENDPOINTS=" + cell.endpoints, "WARDEN_CACERT=" + tls.resolve("ca.pem"),
            "WARDEN_CERT=" + tls.resolve("admin.p12"), "WARDEN_CERT_PASSWORD=");
        assertThat(Files.readString(cell.dir.resolve("replica-1/config.json"))).contains("\"tls\"", "replica-1.p12");
    }

    @Test
    void theCliSpeaksTlsWithTheCaAndAClientCertificate() throws Exception {
        Path tls = cell.dir.resolve("tls");
        Path key = pemKeyOfAdmin(tls);
        Cli.Result ok = Cli.run("status", "-o", "json", "--endpoints", cell.endpoints, "--cacert", tls.resolve("ca.pem").toString(),
            "--cert", tls.resolve("admin.pem").toString(), "--key", key.toString());
        assertThat(ok.code()).as("%s", ok).isZero();
        assertThat(ok.out()).contains("\"role\" : \"master\"", "https://127.0.0.1:");

        Cli.Result untrusting = Cli.run("status", "--endpoints", cell.endpoints, "--retry-for", "1s");
        assertThat(untrusting.out() + untrusting.err()).as("%s", untrusting).contains("unable to find valid certification path");

        Cli.Result incomplete = Cli.run("status", "--endpoints", cell.endpoints, "--cacert", tls.resolve("ca.pem").toString(),
            "--cert", tls.resolve("admin.pem").toString());
        assertThat(incomplete.code()).as("%s", incomplete).isEqualTo(ExitCodes.USAGE);
        assertThat(incomplete.err()).contains("--key");
    }

    /** The admin key as unencrypted PKCS#8 PEM, taken out of the PKCS#12 file that cell up made. */
    private static Path pemKeyOfAdmin(Path tls) throws Exception {
        char[] password = Files.readString(tls.resolve("password")).trim().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.resolve("admin.p12"))) {
            ks.load(in, password);
        }
        Key key = ks.getKey("key", password);
        Path file = tls.resolve("admin-key.pem");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
        return file;
    }
}
