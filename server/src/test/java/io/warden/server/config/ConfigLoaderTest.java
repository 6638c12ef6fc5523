package io.warden.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration mistakes stop start-up with a message naming the field. */
class ConfigLoaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEMBERS = "[{\"id\":1,\"host\":\"127.0.0.1\",\"clientPort\":7001,\"peerPort\":7101},"
        + "{\"id\":2,\"host\":\"127.0.0.1\",\"clientPort\":7002,\"peerPort\":7102}]";

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void readsAFileAndFlagsOverrideIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"cell\":\"c1\",\"self\":1,\"dataDir\":\"/tmp/d1\",\"members\":" + MEMBERS
            + ",\"timings\":{\"leaseMillis\":3000}}");
        CellConfig c = ConfigLoader.load(new String[] {"--config", file.toString(), "--id", "2", "--renew-millis", "500"});
        assertThat(c.self()).isEqualTo(2);
        assertThat(c.timings().leaseMillis()).isEqualTo(3000);
        assertThat(c.timings().renewMillis()).isEqualTo(500);
        assertThat(c.members()).hasSize(2);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"cell\":\"c\",\"self\":3,\"dataDir\":\"/d\",\"members\":MEMBERS}                                  | self",
        "{\"cell\":\"c\",\"self\":1,\"members\":MEMBERS}                                                     | dataDir",
        "{\"cell\":\"c\",\"self\":1,\"dataDir\":\"/d\",\"members\":[]}                                        | members",
        "{\"cell\":\"c\",\"self\":1,\"dataDir\":\"/d\",\"members\":[{\"id\":1,\"host\":\"h\",\"clientPort\":1,\"peerPort\":2},{\"id\":1,\"host\":\"h\",\"clientPort\":3,\"peerPort\":4}]} | members",
        "{\"cell\":\"c\",\"self\":1,\"dataDir\":\"/d\",\"members\":[{\"id\":1,\"host\":\"h\",\"clientPort\":1,\"peerPort\":1}]} | members[1].peerPort",
        "{\"cell\":\"c\",\"self\":1,\"dataDir\":\"/d\",\"members\":[{\"id\":1,\"host\":\"h\",\"clientPort\":1}]} | members[].peerPort",
        "{\"cell\":\"c\",\"self\":1,\"dataDir\":\"/d\",\"members\":MEMBERS,\"memebrs\":1}                     | memebrs",
        "{\"cell\":\"c d\",\"self\":1,\"dataDir\":\"/d\",\"members\":MEMBERS}                                | cell",
        "{\"cell\":\"c\",\"self\":1,\"dataDir\":\"/d\",\"members\":MEMBERS,\"timings\":{\"leaseMillis\":10}}  | leaseMillis",
        "{\"cell\":\"c\",\"self\":1,\"dataDir\":\"/d\",\"members\":MEMBERS,\"timings\":{\"renewMillis\":1900}} | renewMillis",
        "{\"cell\":\"c\",\"self\":1,\"dataDir\":\"/d\",\"members\":MEMBERS,\"timings\":{\"driftBound\":0.7}}  | driftBound",
        "{\"cell\":\"c\",\"self\":1,\"dataDir\":\"/d\",\"members\":MEMBERS,\"timings\":{\"leaseMillis\":\"x\"}} | timings.leaseMillis",
    })
    void mistakesNameTheField(String config, String field) {
        assertThatThrownBy(() -> ConfigLoader.parse(json(config.replace("MEMBERS", MEMBERS)), JSON.createObjectNode()))
            .isInstanceOf(ConfigException.class)
            .satisfies(e -> assertThat(((ConfigException) e).field()).isEqualTo(field));
    }

    @Test
    void limitsAreConfigurableAndPartOfWhatMembersMustAgreeOn() throws Exception {
        String base = "{\"cell\":\"c\",\"self\":1,\"dataDir\":\"/d\",\"members\":" + MEMBERS;
        CellConfig dflt = ConfigLoader.parse(json(base + "}"), JSON.createObjectNode());
        CellConfig tuned = ConfigLoader.parse(json(base + ",\"limits\":{\"maxSessions\":5000,\"defaultLockDelayMillis\":2000}}"),
            JSON.createObjectNode());
        assertThat(tuned.limits().maxSessions()).isEqualTo(5000);
        assertThat(tuned.limits().defaultLockDelayMillis()).isEqualTo(2000);
        assertThat(tuned.limits().maxLocksPerSession()).isEqualTo(dflt.limits().maxLocksPerSession());
        assertThat(tuned.fingerprint()).isNotEqualTo(dflt.fingerprint());
        assertThatThrownBy(() -> ConfigLoader.parse(json(base + ",\"limits\":{\"maxSesions\":5}}"), JSON.createObjectNode()))
            .isInstanceOf(ConfigException.class).satisfies(e -> assertThat(((ConfigException) e).field()).isEqualTo("limits.maxSesions"));
        assertThatThrownBy(() -> ConfigLoader.parse(json(base + ",\"limits\":{\"defaultLockDelayMillis\":90000}}"), JSON.createObjectNode()))
            .isInstanceOf(ConfigException.class).hasMessageStartingWith("limits");
    }

    /** Load limits share the {@code limits} object but are this replica's own: not in the fingerprint. */
    @Test
    void loadLimitsAreConfigurablePerReplica() throws Exception {
        String base = "{\"cell\":\"c\",\"self\":1,\"dataDir\":\"/d\",\"members\":" + MEMBERS;
        CellConfig dflt = ConfigLoader.parse(json(base + "}"), JSON.createObjectNode());
        assertThat(dflt.loadLimits()).isEqualTo(LoadLimits.defaults());
        CellConfig tuned = ConfigLoader.parse(json(base + ",\"limits\":{\"maxSessions\":5000,\"maxHeldRequests\":64,"
            + "\"maxEventStreams\":3}}"), JSON.createObjectNode());
        assertThat(tuned.limits().maxSessions()).isEqualTo(5000);
        assertThat(tuned.loadLimits().maxHeldRequests()).isEqualTo(64);
        assertThat(tuned.loadLimits().maxEventStreams()).isEqualTo(3);
        assertThat(tuned.loadLimits().maxQueuedRequests()).isEqualTo(LoadLimits.defaults().maxQueuedRequests());
        CellConfig onlyLoad = ConfigLoader.parse(json(base + ",\"limits\":{\"maxPendingWrites\":10}}"), JSON.createObjectNode());
        assertThat(onlyLoad.fingerprint()).as("members may differ in load limits").isEqualTo(dflt.fingerprint());
        assertThatThrownBy(() -> ConfigLoader.parse(json(base + ",\"limits\":{\"maxQueuedRequests\":0}}"), JSON.createObjectNode()))
            .isInstanceOf(ConfigException.class).satisfies(e -> assertThat(((ConfigException) e).field()).isEqualTo("limits.maxQueuedRequests"));
        assertThatThrownBy(() -> ConfigLoader.parse(json(base + ",\"limits\":{\"maxConnections\":\"many\"}}"), JSON.createObjectNode()))
            .isInstanceOf(ConfigException.class).satisfies(e -> assertThat(((ConfigException) e).field()).isEqualTo("limits.maxConnections"));
    }

    @Test
    void unknownFlagAndBadJsonAreNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"cell\": ");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config", file.toString()}))
            .isInstanceOf(ConfigException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config", file.toString(), "--bogus", "1"}))
            .isInstanceOf(ConfigException.class).hasMessageStartingWith("--bogus")
            .hasMessageContaining("--data-dir").hasMessageContaining("--insecure").hasMessageContaining("--warm-up-cycles");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--id", "1"}))
            .isInstanceOf(ConfigException.class).hasMessageStartingWith("--config");
    }

    @Test
    void aDataDirectoryBelongsToOneReplicaOfOneCell(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        CellConfig one = ConfigLoader.parse(json("{\"cell\":\"c\",\"self\":1,\"dataDir\":\"" + data + "\",\"members\":" + MEMBERS + "}"),
            JSON.createObjectNode());
        DataDirectory.open(one);
        DataDirectory.open(one); // reopening its own directory is fine
        CellConfig two = ConfigLoader.parse(json("{\"cell\":\"c\",\"self\":2,\"dataDir\":\"" + data + "\",\"members\":" + MEMBERS + "}"),
            JSON.createObjectNode());
        assertThatThrownBy(() -> DataDirectory.open(two)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("belongs to replica 1 of cell c");
        CellConfig otherCell = ConfigLoader.parse(json("{\"cell\":\"d\",\"self\":1,\"dataDir\":\"" + data + "\",\"members\":" + MEMBERS + "}"),
            JSON.createObjectNode());
        assertThatThrownBy(() -> DataDirectory.open(otherCell)).isInstanceOf(ConfigException.class).hasMessageContaining("cell c");
        CellConfig changed = ConfigLoader.parse(json("{\"cell\":\"c\",\"self\":1,\"dataDir\":\"" + data + "\",\"members\":" + MEMBERS
            + ",\"timings\":{\"leaseMillis\":5000,\"renewMillis\":400}}"), JSON.createObjectNode());
        assertThatThrownBy(() -> DataDirectory.open(changed)).isInstanceOf(ConfigException.class).hasMessageStartingWith("members")
            .hasMessageContaining("created with leaseMillis " + one.timings().leaseMillis());
        Path foreign = dir.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("something"), "x");
        CellConfig intoForeign = ConfigLoader.parse(json("{\"cell\":\"c\",\"self\":1,\"dataDir\":\"" + foreign + "\",\"members\":" + MEMBERS + "}"),
            JSON.createObjectNode());
        assertThatThrownBy(() -> DataDirectory.open(intoForeign)).isInstanceOf(ConfigException.class).hasMessageContaining("not a Warden data directory");
    }
}
