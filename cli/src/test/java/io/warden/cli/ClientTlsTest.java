package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.client.TlsOptions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which TLS files the CLI uses: flags win over the environment; incomplete settings are usage errors. */
class ClientTlsTest {
    private static final Path CA = Path.of("/c/ca.pem");

    @Test
    void nothingGivenMeansNoTlsOptions() {
        assertThat(ClientTls.resolve(null, null, null, Map.of())).isEmpty();
    }

    @Test
    void flagsWinOverTheEnvironment() {
        TlsOptions t = ClientTls.resolve(CA, Path.of("/c/me.pem"), Path.of("/c/me-key.pem"),
            Map.of("WARDEN_CACERT", "/env/ca.pem", "WARDEN_CERT", "/env/x.pem", "WARDEN_KEY", "/env/x-key.pem")).orElseThrow();
        assertThat(t.caFile()).isEqualTo(CA);
        assertThat(t.certFile()).isEqualTo(Path.of("/c/me.pem"));
        assertThat(t.keyFile()).isEqualTo(Path.of("/c/me-key.pem"));
    }

    @Test
    void theEnvironmentAloneIsEnough() {
        TlsOptions t = ClientTls.resolve(null, null, null,
            Map.of("WARDEN_CACERT", "/env/ca.pem", "WARDEN_CERT", "/env/admin.p12", "WARDEN_CERT_PASSWORD", "pw")).orElseThrow();
        assertThat(t.caFile()).isEqualTo(Path.of("/env/ca.pem"));
        assertThat(t.keystore()).isEqualTo(Path.of("/env/admin.p12"));
        assertThat(t.keystorePassword()).isEqualTo("pw");
        assertThat(ClientTls.resolve(null, null, null, Map.of("WARDEN_CACERT", "/env/ca.pem")).orElseThrow().hasIdentity()).isFalse();
    }

    @Test
    void incompleteSettingsSayWhatIsMissing() {
        assertThatThrownBy(() -> ClientTls.resolve(null, Path.of("/c/me.pem"), Path.of("/c/k.pem"), Map.of())).hasMessageContaining("--cacert");
        assertThatThrownBy(() -> ClientTls.resolve(CA, Path.of("/c/me.pem"), null, Map.of())).hasMessageContaining("--key");
        assertThatThrownBy(() -> ClientTls.resolve(CA, null, Path.of("/c/k.pem"), Map.of())).hasMessageContaining("--cert");
        assertThatThrownBy(() -> ClientTls.resolve(CA, Path.of("/c/me.p12"), Path.of("/c/k.pem"), Map.of())).hasMessageContaining("PKCS#12");
    }
}
