package io.warden.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.api.Tokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The {@code auth} section: parsed strictly, mistakes named by field, and "configured" is what switches it on. */
class AuthConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HASH = Tokens.sha256Hex("wdn_abcdefghijklmnopqrstuvwxyz0123456789");

    private static AuthConfig parse(String auth) throws Exception {
        String config = "{\"cell\":\"c\",\"self\":1,\"dataDir\":\"/d\",\"members\":[{\"id\":1,\"host\":\"127.0.0.1\","
            + "\"clientPort\":7001,\"peerPort\":7101}]" + (auth == null ? "" : ",\"auth\":" + auth) + "}";
        return ConfigLoader.parse(JSON.readTree(config), JSON.createObjectNode()).auth();
    }

    @Test
    void absentOrEmptyIsOffAndTokensOrCertificatesTurnItOn() throws Exception {
        assertThat(parse(null).enabled()).isFalse();
        assertThat(parse("{}").enabled()).isFalse();
        assertThat(parse("{\"admins\":[\"root\"]}").enabled()).isFalse();
        assertThat(parse("{\"clientCertificates\":true}").enabled()).isTrue();
        AuthConfig a = parse("{\"tokens\":[{\"principal\":\"root\",\"sha256\":\"" + HASH + "\"}],\"admins\":[\"root\"],"
            + "\"groups\":{\"ops\":[\"alice\",\"bob\"]}}");
        assertThat(a.enabled()).isTrue();
        assertThat(a.admins()).containsExactly("root");
        assertThat(a.groupsOf("alice")).containsExactly("ops");
        assertThat(a.groupsOf("root")).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"token\":[]}                                                       | auth.token",
        "{\"tokens\":{}}                                                      | auth.tokens",
        "{\"tokens\":[{\"principal\":\"a\"}]}                                 | auth.tokens[0].sha256",
        "{\"tokens\":[{\"principal\":\"a\",\"sha256\":\"wdn_plaintexttoken\"}]} | auth.tokens[0].sha256",
        "{\"tokens\":[{\"principal\":\"a b\",\"sha256\":\"HASH\"}]}           | auth.tokens[0].principal",
        "{\"tokens\":[{\"principal\":\"a\",\"sha256\":\"HASH\",\"salt\":1}]}  | auth.tokens[0].salt",
        "{\"tokens\":[{\"principal\":\"a\",\"sha256\":\"HASH\"},{\"principal\":\"b\",\"sha256\":\"HASH\"}]} | auth.tokens[1].sha256",
        "{\"admins\":\"root\"}                                                | auth.admins",
        "{\"admins\":[\"*\"]}                                                 | auth.admins",
        "{\"groups\":{\"ops\":[1]}}                                           | auth.groups.ops",
        "{\"clientCertificates\":\"yes\"}                                     | auth.clientCertificates",
    })
    void mistakesNameTheField(String auth, String field) {
        assertThatThrownBy(() -> parse(auth.replace("HASH", HASH)))
            .isInstanceOf(ConfigException.class)
            .satisfies(e -> assertThat(((ConfigException) e).field()).isEqualTo(field));
    }
}
