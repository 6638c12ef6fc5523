package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.server.config.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A replica process refuses to start on a bad configuration: exit code 2, and stderr names the
 * field at fault ("warden server: configuration error: FIELD: problem"). Every bad process is
 * launched at once in {@link #launchAll()} (they run in parallel); each test awaits its own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConfigErrorTest {
    private static final String PREFIX = "warden server: configuration error: ";

    /** How one server process ended. */
    record Outcome(int exitCode, String stderr, String stdout) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stderr:\n" + stderr + "\n--- stdout:\n" + stdout;
        }
    }

    private static Path dir;
    private static ArrayNode members;
    private static final Map<String, CompletableFuture<Outcome>> runs = new ConcurrentHashMap<>();
    private static final List<Process> processes = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void launchAll() throws IOException {
        dir = Files.createTempDirectory("warden-config-it-");
        members = ReplicaClient.JSON.createArrayNode();
        for (int id = 1; id <= 3; id++) {
            String host = "127.0.0.1" + id;
            members.addObject().put("id", id).put("host", host).put("clientPort", freePort(host)).put("peerPort", freePort(host));
        }
        launch("self", c -> c.put("self", 4));
        launch("members", c -> {
            ArrayNode dup = c.putArray("members");
            dup.add(members.get(0).deepCopy());
            dup.add(((ObjectNode) members.get(1).deepCopy()).put("id", 1));
            dup.add(members.get(2).deepCopy());
        });
        launch("dataDir", c -> c.remove("dataDir"));
        launch("unknownField", c -> c.put("replicas", 3));
        launch("unknownTimingsField", c -> c.putObject("timings").put("leaseMs", 1_000));
        launch("renewMillis", c -> c.putObject("timings").put("leaseMillis", 1_000).put("renewMillis", 500));
        Path malformed = dir.resolve("malformed.json");
        Files.writeString(malformed, "{\"cell\": \"bad\", \"self\": 1,\n \"members\": [\n");
        runs.put("malformed", run(malformed));
        runs.put("foreignDataDir", CompletableFuture.supplyAsync(ConfigErrorTest::runOnAnotherReplicasDataDir));
    }

    @AfterAll
    static void cleanUp() {
        synchronized (processes) {
            for (Process p : processes) p.destroyForcibly();
        }
        if (dir != null) DataDirectory.deleteTree(dir);
    }

    /** Rule: a replica must be one of the members it lists (CellConfig: field {@code self}). */
    @Test
    void selfNotAmongTheMembers() {
        assertRefused("self", "self");
    }

    /** Rule: member ids are unique, or two replicas would vote as one (field {@code members}). */
    @Test
    void duplicateMemberId() {
        assertRefused("members", "members");
    }

    /** Rule: a replica must know where its promises are kept (field {@code dataDir}). */
    @Test
    void missingDataDir() {
        assertRefused("dataDir", "dataDir");
    }

    /** Rule: unknown fields are mistakes, named, not ignored (a misspelling must not pass silently). */
    @Test
    void unknownFieldInTheFile() {
        assertRefused("unknownField", "replicas");
        assertRefused("unknownTimingsField", "timings.leaseMs");
    }

    /** Rule: the lease must be renewed at least three times per lease (field {@code renewMillis}). */
    @Test
    void renewIntervalTooLongForTheLease() {
        assertRefused("renewMillis", "renewMillis");
    }

    /** Rule: a file that is not JSON is named, with where it stops parsing. */
    @Test
    void malformedJson() {
        Outcome o = await("malformed");
        assertThat(o.exitCode()).as("%s", o).isEqualTo(2);
        assertThat(o.stderr()).as("%s", o).contains(PREFIX + dir.resolve("malformed.json") + ": is not valid JSON");
    }

    /**
     * Rule (DataDirectory): a data directory is stamped with the replica that created it; another
     * replica must refuse it, or it would carry replica 1's promises as its own and break Paxos.
     */
    @Test
    void dataDirectoryOfAnotherReplica() {
        Outcome o = await("foreignDataDir");
        assertThat(o.exitCode()).as("%s", o).isEqualTo(2);
        assertThat(o.stderr()).as("%s", o).contains(PREFIX + "dataDir: ").contains("belongs to replica 1");
    }

    private static void assertRefused(String run, String field) {
        Outcome o = await(run);
        assertThat(o.exitCode()).as("exit code; %s", o).isEqualTo(2);
        assertThat(o.stderr()).as("stderr names the field; %s", o).contains(PREFIX + field + ": ");
    }

    private static Outcome await(String run) {
        try {
            Outcome o = runs.get(run).get(90, TimeUnit.SECONDS);
            System.out.println("[config-errors] " + run + ": exit " + o.exitCode() + ", " + o.stderr().strip().lines().findFirst().orElse(""));
            return o;
        } catch (Exception e) {
            throw new AssertionError("server run '" + run + "' did not finish", e);
        }
    }

    // ---------------------------------------------------------------- fixtures

    /** A valid config for replica {@code self} of a 3-member cell, with its data under {@code dataDir}. */
    private static ObjectNode validConfig(int self, Path dataDir) {
        ObjectNode c = ReplicaClient.JSON.createObjectNode();
        c.put("cell", "config-it").put("self", self).put("dataDir", dataDir.toString()).set("members", members.deepCopy());
        c.putObject("timings").put("leaseMillis", 1_000).put("renewMillis", 200).put("electionJitterMillis", 200);
        return c;
    }

    private static void launch(String name, Consumer<ObjectNode> breakIt) throws IOException {
        ObjectNode c = validConfig(1, dir.resolve("data-" + name));
        breakIt.accept(c);
        runs.put(name, run(write(name, c)));
    }

    private static Path write(String name, ObjectNode config) throws IOException {
        Path file = dir.resolve(name + ".json");
        ReplicaClient.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
        return file;
    }

    private static Process startServer(Path config) throws IOException {
        String name = config.getFileName().toString();
        Process p = new ProcessBuilder(LocalCell.serverCommand(config))
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .redirectError(dir.resolve(name + ".err").toFile())
            .start();
        processes.add(p);
        return p;
    }

    private static CompletableFuture<Outcome> run(Path config) throws IOException {
        String name = config.getFileName().toString();
        return startServer(config).onExit().orTimeout(60, TimeUnit.SECONDS)
            .thenApply(p -> new Outcome(p.exitValue(), read(name + ".err"), read(name + ".out")));
    }

    /** Replica 1 stamps directory D, stops cleanly; then replica 2's config, pointed at D, is run. */
    private static Outcome runOnAnotherReplicasDataDir() {
        try {
            Path shared = dir.resolve("data-of-replica-1");
            Path first = write("replica-1", validConfig(1, shared));
            Process owner = startServer(first);
            LocalCell.await(() -> "replica 1 serves (" + read("replica-1.json.err") + ")", Duration.ofSeconds(60),
                () -> read("replica-1.json.err").contains("replica 1 of cell config-it serving") || !owner.isAlive());
            assertThat(owner.isAlive()).as("replica 1 runs alone on %s: %s", shared, read("replica-1.json.err")).isTrue();
            assertThat(shared.resolve("identity.properties")).exists();
            owner.destroy();
            assertThat(owner.waitFor(20, TimeUnit.SECONDS)).as("replica 1 stops on SIGTERM").isTrue();
            assertThat(owner.exitValue()).as("replica 1's exit code").isIn(0, 143);
            return run(write("replica-2", validConfig(2, shared))).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the data-directory scenario failed", e);
        }
    }

    private static String read(String file) {
        try {
            Path p = dir.resolve(file);
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }
}
