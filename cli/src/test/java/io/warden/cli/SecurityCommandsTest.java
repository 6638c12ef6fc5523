package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.api.Acls;
import io.warden.api.Permission;
import io.warden.api.Tokens;
import io.warden.client.Grant;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code warden acl}, {@code warden audit}, {@code warden token} and {@code --token}, in-process,
 * against a real local cell started by {@code bin/warden cell up --auth} with hashed tokens.
 */
class SecurityCommandsTest {
    private static final String ROOT = Tokens.newToken();
    private static final String ALICE = Tokens.newToken();
    private static LocalCell cell;

    @BeforeAll
    static void start() {
        String auth = "{\"tokens\": [{\"principal\": \"root\", \"sha256\": \"" + Tokens.sha256Hex(ROOT) + "\"},"
            + " {\"principal\": \"alice\", \"sha256\": \"" + Tokens.sha256Hex(ALICE) + "\"}], \"admins\": [\"root\"]}";
        cell = LocalCell.start(auth, ROOT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cell != null) cell.close();
    }

    private static Cli.Result warden(String token, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoints", cell.endpoints));
        if (token != null) all.addAll(List.of("--token", token));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void withoutATokenOrWithAWrongOneTheCliExits6AndSaysHowToGiveOne() {
        Cli.Result none = warden(null, "locks", "ls");
        assertThat(none.code()).as(none.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(none.err()).contains("HTTP 401").contains("--token or $WARDEN_TOKEN");
        Cli.Result wrong = warden(Tokens.newToken(), "sessions", "ls");
        assertThat(wrong.code()).as(wrong.toString()).isEqualTo(ExitCodes.DENIED);
    }

    @Test
    void aclSetLsCheckRmRoundTripAndEveryChangeIsAudited() throws Exception {
        Cli.Result set = warden(ROOT, "acl", "set", "/cli-acl/", "alice", "lock");
        assertThat(set.code()).as(set.toString()).isZero();
        assertThat(set.out()).startsWith("set alice lock on /cli-acl/");

        Acls.Listing listing = CommonOptions.JSON.readValue(warden(ROOT, "acl", "ls", "/cli-acl/", "-o", "json").out(), Acls.Listing.class);
        assertThat(listing.entries()).containsExactly(new Acls.Entry("/cli-acl/", "alice", Permission.LOCK));
        assertThat(listing.enforced()).isTrue();
        assertThat(warden(ROOT, "acl", "ls").out()).containsPattern("(?m)^/cli-acl/\\s+alice\\s+lock$");

        Cli.Result check = warden(ALICE, "acl", "check", "/cli-acl/x");
        assertThat(check.out()).as(check.toString()).contains("alice has lock on /cli-acl/x (entry alice lock on /cli-acl/)");
        assertThat(warden(ALICE, "acl", "check", "/elsewhere").out()).contains("alice has none on /elsewhere");

        // alice is no admin: she cannot change ACLs (403 -> exit 6), and nothing changes
        Cli.Result denied = warden(ALICE, "acl", "set", "/cli-acl/", "alice", "admin");
        assertThat(denied.code()).as(denied.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(denied.err()).contains("alice lacks 'admin' on /cli-acl/");

        Cli.Result rm = warden(ROOT, "acl", "rm", "/cli-acl/", "alice");
        assertThat(rm.code()).as(rm.toString()).isZero();
        assertThat(warden(ROOT, "acl", "rm", "/cli-acl/", "alice").code()).isEqualTo(ExitCodes.NOT_FOUND);

        JsonNode audit = CommonOptions.JSON.readTree(warden(ROOT, "audit", "-o", "json").out());
        List<String> trail = new ArrayList<>();
        for (JsonNode e : audit.path("entries")) {
            if (e.path("target").asText().equals("/cli-acl/")) trail.add(e.path("principal").asText() + " " + e.path("action").asText());
        }
        assertThat(trail).containsExactly("root acl.set", "root acl.removed");
    }

    @Test
    void locksShowAndSessionsNameThePrincipalAndABreakIsAudited() throws Exception {
        assertThat(warden(ROOT, "acl", "set", "/cli-brk/", "alice", "lock").code()).isZero();
        try (WardenClient alice = WardenClient.builder().endpoints(cell.endpoints.split(",")).token(ALICE).build();
             Session s = alice.newSession(Duration.ofSeconds(10), "cli-alice")) {
            Grant g = s.lock("/cli-brk/x").acquire(Duration.ofSeconds(5)).orElseThrow();
            Cli.Result show = warden(ROOT, "locks", "show", "/cli-brk/x");
            assertThat(show.out()).as(show.toString()).containsPattern("(?m)^  " + s.id() + "\\s+alice\\s+cli-alice\\s+exclusive\\s+" + g.token());
            assertThat(warden(ROOT, "sessions", "ls").out()).containsPattern("(?m)^" + s.id() + "\\s+alice\\s+cli-alice");
            assertThat(warden(ROOT, "sessions", "show", Long.toString(s.id())).out()).contains("principal  alice");

            assertThat(warden(ALICE, "locks", "break", "/cli-brk/x").code()).isEqualTo(ExitCodes.DENIED);
            Cli.Result broke = warden(ROOT, "locks", "break", "/cli-brk/x");
            assertThat(broke.code()).as(broke.toString()).isZero();
        }
        Cli.Result audit = warden(ROOT, "audit");
        assertThat(audit.out()).as(audit.toString()).containsPattern("(?m)^\\d+\\s+\\S+\\s+root\\s+lock\\.broken\\s+/cli-brk/x\\s+holders .*alice");
        Cli.Result notAdmin = warden(ALICE, "audit");
        assertThat(notAdmin.code()).as(notAdmin.toString()).isEqualTo(ExitCodes.DENIED);
    }

    @Test
    void tokenNewPrintsATokenWhoseHashTokenHashReproduces() throws Exception {
        JsonNode made = CommonOptions.JSON.readTree(Cli.run("token", "new", "--principal", "svc-a", "-o", "json").out());
        String token = made.path("token").asText();
        assertThat(token).startsWith(Tokens.PREFIX);
        assertThat(made.path("sha256").asText()).isEqualTo(Tokens.sha256Hex(token)).hasSize(64);

        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream((token + "\n").getBytes(StandardCharsets.UTF_8)));
            Cli.Result hashed = Cli.run("token", "hash");
            assertThat(hashed.out().trim()).as(hashed.toString()).isEqualTo(made.path("sha256").asText());
            System.setIn(new ByteArrayInputStream("short\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(Cli.run("token", "hash").code()).isEqualTo(ExitCodes.USAGE);
        } finally {
            System.setIn(stdin);
        }
    }
}
