package io.warden.server.config;

import io.warden.client.TlsOptions;
import java.util.Locale;
import java.util.Objects;

/**
 * A replica's TLS: its own certificate and key, the cell's CA, and what it asks of API clients.
 * With it, the client API is served over HTTPS only and peer links use mutual TLS (see
 * docs/security.md). The files are read once, when the configuration is loaded, so a bad file
 * stops the replica at start-up with the field named.
 *
 * @param files      the certificate (PEM + PKCS#8 key, or PKCS#12) and the CA (PEM or PKCS#12)
 * @param clientAuth whether API clients are asked for a certificate, or must present one
 */
public record TlsConfig(TlsOptions files, ClientAuth clientAuth) {
    /** What the client API asks of clients; peers always must present a certificate. */
    public enum ClientAuth {
        /** Ask for a client certificate and verify it against the CA if given; a client without one may still connect. */
        WANT,
        /** A client without a certificate from the cell's CA is refused in the TLS handshake. */
        NEED;

        static ClientAuth parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("tls.clientAuth", "must be \"want\" or \"need\", got \"" + s + "\"");
            }
        }
    }

    public TlsConfig {
        Objects.requireNonNull(files, "files");
        if (!files.hasIdentity()) throw new ConfigException("tls", "a replica needs its own certificate: certFile+keyFile or keystore");
        if (clientAuth == null) clientAuth = ClientAuth.WANT;
    }
}
