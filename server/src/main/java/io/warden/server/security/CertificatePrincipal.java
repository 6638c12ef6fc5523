package io.warden.server.security;

import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The principal a verified client certificate names: the Common Name (CN) of the leaf's subject
 * ({@code CN=alice,O=Example} is "alice"). The CN, not a SAN: client certificates for people and
 * services are issued by CN ({@code openssl req -subj /CN=alice}), and SANs name hosts. A subject
 * with several CNs names the most specific (the last) one. Jetty has verified the chain against
 * the client CA before the request reaches us; this only reads the name.
 */
public final class CertificatePrincipal {
    private CertificatePrincipal() {}

    /** The CN of {@code chain[0]}'s subject; empty if there is no chain or no CN. */
    public static Optional<String> of(X509Certificate[] chain) {
        if (chain == null || chain.length == 0 || chain[0] == null) return Optional.empty();
        return commonName(chain[0].getSubjectX500Principal().getName());
    }

    /** The last CN in an RFC 2253 distinguished name. */
    static Optional<String> commonName(String rfc2253) {
        try {
            String cn = null;
            for (Rdn rdn : new LdapName(rfc2253).getRdns()) { // most significant first: the last CN is the leaf-most
                if (rdn.getType().equalsIgnoreCase("CN")) cn = rdn.getValue().toString();
            }
            return Optional.ofNullable(cn);
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
