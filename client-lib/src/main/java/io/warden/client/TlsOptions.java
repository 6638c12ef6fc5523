package io.warden.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where TLS material comes from, as files: whom to trust (the cell's CA, as a PEM file of
 * certificates or a PKCS#12 truststore) and, optionally, who we are (a PEM certificate chain with
 * its unencrypted PKCS#8 PEM private key, or a PKCS#12 keystore). Used by {@link WardenClient} for
 * {@code https://} endpoints and by the server for its API and peer links: one way to read them.
 *
 * <p>Files are read when {@link #sslContext()}, {@link #trustStore()} or {@link #keyStore()} is
 * called; a missing, unreadable or malformed file is an {@link IllegalArgumentException} whose
 * message names the file and what is wrong with it.
 *
 * @param caFile             PEM certificate(s) to trust; or null, with {@code truststore}
 * @param truststore         PKCS#12 file of trusted certificates; or null, with {@code caFile}
 * @param truststorePassword the truststore's password (null: none)
 * @param certFile           PEM certificate chain, leaf first; needs {@code keyFile}; or null
 * @param keyFile            PEM private key (PKCS#8, {@code BEGIN PRIVATE KEY}) of {@code certFile}
 * @param keystore           PKCS#12 file with one private key and its chain; or null
 * @param keystorePassword   the keystore's (and its key's) password (null: none)
 */
public record TlsOptions(Path caFile, Path truststore, String truststorePassword,
                         Path certFile, Path keyFile, Path keystore, String keystorePassword) {
    private static final Pattern PEM_KEY = Pattern.compile(
        "-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");
    private static final char[] IN_MEMORY_PASSWORD = new char[0];

    public TlsOptions {
        if ((caFile == null) == (truststore == null)) {
            throw new IllegalArgumentException("give exactly one of a CA file (PEM) and a truststore (PKCS#12)");
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a PEM certificate and its PEM key go together: give both or neither");
        }
        if (certFile != null && keystore != null) {
            throw new IllegalArgumentException("give either a PEM certificate and key or a PKCS#12 keystore, not both");
        }
    }

    /** Trusts the certificates in a PEM file (typically the cell's CA); presents no certificate. */
    public static TlsOptions trustingCa(Path caPem) {
        return new TlsOptions(caPem, null, null, null, null, null, null);
    }

    /** Trusts the certificates in a PKCS#12 truststore; presents no certificate. */
    public static TlsOptions trustingStore(Path p12, String password) {
        return new TlsOptions(null, p12, password, null, null, null, null);
    }

    /** Also presents this PEM certificate chain (leaf first) with its PKCS#8 PEM key. */
    public TlsOptions withCertificate(Path certPem, Path keyPem) {
        return new TlsOptions(caFile, truststore, truststorePassword, certPem, keyPem, null, null);
    }

    /** Also presents the key and chain of this PKCS#12 keystore. */
    public TlsOptions withKeystore(Path p12, String password) {
        return new TlsOptions(caFile, truststore, truststorePassword, null, null, p12, password);
    }

    /** Whether a certificate is presented (a client certificate, or the server's own). */
    public boolean hasIdentity() {
        return certFile != null || keystore != null;
    }

    /** A TLS context that trusts {@link #trustStore()} and presents {@link #keyStore()}, if any. */
    public SSLContext sslContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            KeyManagerFactory kmf = null;
            if (hasIdentity()) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore(), keyPassword());
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The trusted certificates, as a key store. */
    public KeyStore trustStore() {
        if (truststore != null) return loadPkcs12(truststore, truststorePassword, "truststore");
        List<X509Certificate> certs = readCertificates(caFile);
        try {
            KeyStore ks = emptyStore();
            for (int i = 0; i < certs.size(); i++) ks.setCertificateEntry("ca-" + i, certs.get(i));
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(caFile + ": cannot be trusted: " + e.getMessage(), e);
        }
    }

    /** The presented key and chain, as a key store (its key's password is {@link #keyPassword()}); null if none. */
    public KeyStore keyStore() {
        if (keystore != null) {
            KeyStore ks = loadPkcs12(keystore, keystorePassword, "keystore");
            try {
                if (!Collections.list(ks.aliases()).stream().anyMatch(a -> isKeyEntry(ks, a))) {
                    throw new IllegalArgumentException(keystore + ": the keystore holds no private key");
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(keystore + ": " + e.getMessage(), e);
            }
            return ks;
        }
        if (certFile == null) return null;
        List<X509Certificate> chain = readCertificates(certFile);
        PrivateKey key = readPrivateKey(keyFile);
        if (!signsFor(key, chain.get(0))) {
            throw new IllegalArgumentException(keyFile + ": is not the private key of the certificate in " + certFile);
        }
        try {
            KeyStore ks = emptyStore();
            ks.setKeyEntry("identity", key, IN_MEMORY_PASSWORD, chain.toArray(Certificate[]::new));
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(keyFile + ": does not go with " + certFile + ": " + e.getMessage(), e);
        }
    }

    /** The password that unlocks the key in {@link #keyStore()}. */
    public char[] keyPassword() {
        return keystore != null ? chars(keystorePassword) : IN_MEMORY_PASSWORD;
    }

    /** Every certificate in a PEM file, in order; at least one. */
    public static List<X509Certificate> readCertificates(Path pem) {
        try (InputStream in = new ByteArrayInputStream(read(pem))) {
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) certs.add((X509Certificate) c);
            if (certs.isEmpty()) throw new IllegalArgumentException(pem + ": no certificate in it (expected PEM 'BEGIN CERTIFICATE')");
            return certs;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(pem + ": not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    /** The unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}) in a PEM file: RSA, EC or EdDSA. */
    public static PrivateKey readPrivateKey(Path pem) {
        Matcher m = PEM_KEY.matcher(new String(read(pem), StandardCharsets.US_ASCII));
        if (!m.find()) throw new IllegalArgumentException(pem + ": no PEM private key in it (expected 'BEGIN PRIVATE KEY')");
        if (!m.group(1).isEmpty()) {
            throw new IllegalArgumentException(pem + ": a '" + m.group(1) + "PRIVATE KEY' is not supported; convert it to an "
                + "unencrypted PKCS#8 key: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(2)));
        for (String algorithm : List.of("RSA", "EC", "EdDSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException(pem + ": the private key is not an RSA, EC or EdDSA PKCS#8 key");
    }

    /** Whether {@code key} is the private half of {@code cert}'s public key: a signature made with one verifies with the other. */
    private static boolean signsFor(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448 name their own signature
        };
        try {
            byte[] probe = "warden key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyStore loadPkcs12(Path file, String password, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, chars(password));
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": cannot open the PKCS#12 " + what + " (wrong password?): " + e.getMessage(), e);
        }
    }

    private static boolean isKeyEntry(KeyStore ks, String alias) {
        try {
            return ks.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return ks;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e, e);
        }
    }

    private static char[] chars(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }

    /** Paths only: never the passwords. */
    @Override
    public String toString() {
        return "TlsOptions[ca=" + (caFile != null ? caFile : truststore) + ", identity="
            + (certFile != null ? certFile : keystore) + "]";
    }
}
