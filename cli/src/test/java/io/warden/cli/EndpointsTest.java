package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CLI looks for the cell: --endpoints, then $WARDEN_ENDPOINTS, then the local cell's file, then the default ports. */
class EndpointsTest {
    @TempDir
    Path home;

    @Test
    void theFlagWinsOverEverything() throws IOException {
        writeCellFile(home.resolve(".warden/cell"), "http://10.0.0.1:7001");
        Endpoints e = Endpoints.resolve("http://a:1,http://b:2", Map.of("WARDEN_ENDPOINTS", "http://c:3"), home);
        assertThat(e.urls()).containsExactly("http://a:1", "http://b:2");
        assertThat(e.source()).isEqualTo("--endpoints");
    }

    @Test
    void thenTheEnvironment() {
        Endpoints e = Endpoints.resolve(null, Map.of("WARDEN_ENDPOINTS", "http://c:3, http://d:4/"), home);
        assertThat(e.urls()).containsExactly("http://c:3", "http://d:4");
    }

    @Test
    void thenTheFileCellUpWrites() throws IOException {
        writeCellFile(home.resolve(".warden/cell"), "http://127.0.0.1:9001,http://127.0.0.1:9002\n");
        assertThat(Endpoints.resolve(null, Map.of(), home).urls()).containsExactly("http://127.0.0.1:9001", "http://127.0.0.1:9002");
    }

    @Test
    void theCellDirectoryFollowsWardenCellDir() throws IOException {
        Path dir = home.resolve("elsewhere");
        writeCellFile(dir, "http://127.0.0.1:9101");
        assertThat(Endpoints.resolve(null, Map.of("WARDEN_CELL_DIR", dir.toString()), home).urls()).containsExactly("http://127.0.0.1:9101");
    }

    @Test
    void elseTheDefaultLocalCell() {
        Endpoints e = Endpoints.resolve(null, Map.of(), home);
        assertThat(e.urls()).isEqualTo(List.of("http://127.0.0.1:7001", "http://127.0.0.1:7002", "http://127.0.0.1:7003"));
    }

    @Test
    void hostAndPortMeanHttp() {
        assertThat(Endpoints.parse("127.0.0.1:7001,localhost:7002")).containsExactly("http://127.0.0.1:7001", "http://localhost:7002");
    }

    @Test
    void refusesOtherSchemesAndEmptyLists() {
        assertThatThrownBy(() -> Endpoints.parse("ftp://x:1")).hasMessageContaining("http://");
        assertThatThrownBy(() -> Endpoints.parse(" , ")).hasMessageContaining("no endpoint");
    }

    private static void writeCellFile(Path dir, String text) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("endpoints"), text);
    }
}
