package io.warden.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The principal a client certificate names: its subject's CN. (The real-certificate path, Jetty
 * verifying a chain and setting the servlet attribute, is tested with TLS itself.)
 */
class CertificatePrincipalTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "CN=alice                                    | alice",
        "CN=alice,OU=ops,O=Example Corp,C=GB         | alice",
        "O=Example,CN=svc-billing                    | svc-billing",
        "CN=leaf,OU=x,CN=outer                       | leaf",
        "CN=svc@example.com,O=Example                | svc@example.com",
        "CN=a\\,b,O=x                                | 'a,b'",
    })
    void theSubjectsCommonName(String dn, String principal) {
        assertThat(CertificatePrincipal.commonName(dn)).contains(principal);
    }

    @Test
    void noCommonNameNoChainOrAMalformedNameNamesNobody() {
        assertThat(CertificatePrincipal.commonName("O=Example,C=GB")).isEmpty();
        assertThat(CertificatePrincipal.commonName("not a dn")).isEmpty();
        assertThat(CertificatePrincipal.of(null)).isEmpty();
        assertThat(CertificatePrincipal.of(new X509Certificate[0])).isEqualTo(Optional.empty());
    }
}
