package io.warden.cli;

import io.warden.client.TlsOptions;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's TLS settings, flag first, then environment: {@code --cacert}/{@code $WARDEN_CACERT}
 * (the CA to trust, PEM), {@code --cert}/{@code $WARDEN_CERT} (a PEM chain, or a PKCS#12 file
 * whose password is {@code $WARDEN_CERT_PASSWORD}) and {@code --key}/{@code $WARDEN_KEY} (the PEM
 * key of a PEM certificate). None of them: plain settings (the JVM's trust store for https).
 */
final class ClientTls {
    private ClientTls() {}

    static Optional<TlsOptions> resolve(Path cacert, Path cert, Path key, Map<String, String> env) {
        Path ca = pick(cacert, env, "WARDEN_CACERT");
        Path c = pick(cert, env, "WARDEN_CERT");
        Path k = pick(key, env, "WARDEN_KEY");
        if (ca == null && c == null && k == null) return Optional.empty();
        if (ca == null) throw new IllegalArgumentException("--cert/--key need --cacert (or $WARDEN_CACERT): the CA that signed the cell's certificates");
        TlsOptions trust = TlsOptions.trustingCa(ca);
        if (c == null && k == null) return Optional.of(trust);
        if (c == null) throw new IllegalArgumentException("--key needs --cert (or $WARDEN_CERT)");
        if (isPkcs12(c)) {
            if (k != null) throw new IllegalArgumentException("--key is for a PEM certificate; " + c + " is PKCS#12 and holds its key");
            return Optional.of(trust.withKeystore(c, env.getOrDefault("WARDEN_CERT_PASSWORD", "")));
        }
        if (k == null) throw new IllegalArgumentException("--cert " + c + " is PEM: give its private key with --key (or $WARDEN_KEY)");
        return Optional.of(trust.withCertificate(c, k));
    }

    private static boolean isPkcs12(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx");
    }

    private static Path pick(Path flag, Map<String, String> env, String variable) {
        if (flag != null) return flag;
        String v = env.get(variable);
        return v == null || v.isBlank() ? null : Path.of(v);
    }
}
