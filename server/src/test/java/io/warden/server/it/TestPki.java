package io.warden.server.it;

import io.warden.server.config.DataDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority for tests, made with the JDK's {@code keytool} (the same tool
 * {@code bin/warden cell up --secure} uses): EC P-256 keys, valid for two days. Each issued
 * certificate is written both as PEM (chain + PKCS#8 key) and as a PKCS#12 keystore, so tests can
 * exercise both ways of configuring TLS.
 */
public final class TestPki {
    public static final String PASSWORD = "test-password";

    /** One issued certificate, in both forms. */
    public record Issued(Path certPem, Path keyPem, Path p12) {}

    private final Path dir;
    private final String name;
    private final Path caStore;
    private final Path caPem;
    private final Path caTruststore;

    private TestPki(Path dir, String name) {
        this.dir = dir;
        this.name = name;
        this.caStore = dir.resolve(name + "-ca.p12");
        this.caPem = dir.resolve(name + "-ca.pem");
        this.caTruststore = dir.resolve(name + "-truststore.p12");
    }

    /** Makes a CA named {@code name} under {@code dir}. */
    public static TestPki create(Path dir, String name) {
        TestPki pki = new TestPki(dir, name);
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name + " test CA",
            "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", pki.caStore.toString(), "-storepass", PASSWORD);
        try (InputStream in = Files.newInputStream(pki.caStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            writePem(pki.caPem, ks.getCertificate("ca"));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ks.getCertificate("ca"));
            try (OutputStream out = Files.newOutputStream(pki.caTruststore)) {
                trust.store(out, PASSWORD.toCharArray());
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("reading the CA keystore", e);
        }
        return pki;
    }

    public Path caPem() {
        return caPem;
    }

    /** The CA certificate alone in a PKCS#12 truststore (password {@link #PASSWORD}). */
    public Path caTruststore() {
        return caTruststore;
    }

    /**
     * The set most tests need, made once per test JVM (keytool is slow to start) and deleted at
     * exit: the cell CA, replicas 1-3 of cell {@code secure-it} on 127.0.0.11-13, a server
     * certificate for 127.0.0.1 ({@code localhost}), a client certificate {@code CN=admin}; and
     * another CA with its own certificate for replica 3 of {@code secure-it}.
     */
    public record Standard(TestPki ca, Issued[] replicas, Issued localhost, Issued admin, TestPki otherCa, Issued foreignReplica3) {
        public static final String CELL = "secure-it";
    }

    private static Standard standard;

    public static synchronized Standard standard() {
        if (standard != null) return standard;
        try {
            Path dir = Files.createTempDirectory("warden-pki-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> DataDirectory.deleteTree(dir)));
            // Two keytool runs at a time: each is a JVM start, and this machine may have only two cores.
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                java.util.concurrent.Future<TestPki> otherCa = pool.submit(() -> create(dir, "other"));
                TestPki ca = create(dir, "cell");
                List<java.util.concurrent.Future<Issued>> issued = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    int member = i;
                    issued.add(pool.submit(() -> ca.issue("replica-" + member, "uri:" + identity(member) + ",ip:127.0.0.1" + member)));
                }
                issued.add(pool.submit(() -> ca.issue("localhost", "dns:localhost,ip:127.0.0.1,uri:warden://" + Standard.CELL + "/1")));
                issued.add(pool.submit(() -> ca.issue("admin", null)));
                TestPki other = otherCa.get();
                Issued foreign = other.issue("replica-3", "uri:" + identity(3) + ",ip:127.0.0.13");
                Issued[] replicas = {null, issued.get(0).get(), issued.get(1).get(), issued.get(2).get()};
                standard = new Standard(ca, replicas, issued.get(3).get(), issued.get(4).get(), other, foreign);
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("making the test PKI", e);
            } finally {
                pool.shutdownNow();
            }
            return standard;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String identity(int member) {
        return io.warden.server.transport.PeerTls.identity(Standard.CELL, member);
    }

    /**
     * Issues a certificate for {@code subject} (a file-name-safe label, also its CN), with the given
     * {@code keytool -ext san=...} value (e.g. {@code uri:warden://cell/1,ip:127.0.0.11}) or none.
     */
    public Issued issue(String subject, String san) {
        String base = name + "-" + subject;
        Path store = dir.resolve(base + ".p12");
        Path csr = dir.resolve(base + ".csr");
        Path leafPem = dir.resolve(base + "-leaf.pem");
        keytool("-genkeypair", "-alias", "key", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + subject,
            "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD);
        keytool("-certreq", "-alias", "key", "-keystore", store.toString(), "-storepass", PASSWORD, "-file", csr.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", caStore.toString(),
            "-storepass", PASSWORD, "-infile", csr.toString(), "-outfile", leafPem.toString(), "-rfc", "-validity", "2"));
        if (san != null) gencert.addAll(List.of("-ext", "san=" + san));
        keytool(gencert.toArray(String[]::new));
        Issued issued = new Issued(dir.resolve(base + ".pem"), dir.resolve(base + "-key.pem"), store);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            Key key = ks.getKey("key", PASSWORD.toCharArray());
            Certificate leaf;
            try (InputStream in = Files.newInputStream(leafPem)) {
                leaf = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            Certificate ca;
            try (InputStream in = Files.newInputStream(caPem)) {
                ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            ks.setKeyEntry("key", key, PASSWORD.toCharArray(), new Certificate[] {leaf, ca});
            try (OutputStream out = Files.newOutputStream(store)) {
                ks.store(out, PASSWORD.toCharArray());
            }
            writePem(issued.certPem(), leaf, ca);
            Files.writeString(issued.keyPem(), pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("assembling " + base, e);
        }
        return issued;
    }

    private static void writePem(Path file, Certificate... certs) throws IOException, GeneralSecurityException {
        StringBuilder b = new StringBuilder();
        for (Certificate c : certs) b.append(pem("CERTIFICATE", c.getEncoded()));
        Files.writeString(file, b.toString(), StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... args) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-noprompt"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running keytool", e);
        }
    }
}
