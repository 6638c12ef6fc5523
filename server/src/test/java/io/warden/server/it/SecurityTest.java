package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.api.Tokens;
import io.warden.server.it.ReplicaClient.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authentication, ACLs and the audit trail on a real 3-replica cell over HTTP on loopback, with
 * bearer tokens in the replicas' configs (hashed). One cell serves every test here; each test
 * uses names of its own.
 */
class SecurityTest {
    private static final String ROOT = Tokens.newToken();
    private static final String ALICE = Tokens.newToken();
    private static final String BOB = Tokens.newToken();
    private static final String READER = Tokens.newToken();
    private static LocalCell cell;
    private static int master;

    @BeforeAll
    static void start() throws Exception {
        ObjectNode auth = ReplicaClient.JSON.createObjectNode();
        var tokens = auth.putArray("tokens");
        tokens.addObject().put("principal", "root").put("sha256", Tokens.sha256Hex(ROOT));
        tokens.addObject().put("principal", "alice").put("sha256", Tokens.sha256Hex(ALICE));
        tokens.addObject().put("principal", "bob").put("sha256", Tokens.sha256Hex(BOB));
        tokens.addObject().put("principal", "reader").put("sha256", Tokens.sha256Hex(READER));
        auth.putArray("admins").add("root");
        auth.putObject("groups").putArray("lockers").add("bob");
        cell = LocalCell.createWithAuth("security", 3, LocalCell.Timings.fast(), auth, ROOT);
        cell.startAll();
        master = cell.awaitMaster(Duration.ofSeconds(60));
        // root (a bootstrap admin) grants: everyone authenticated may read /; group lockers may lock
        // under /a/; alice may lock under /b/ only.
        grant("/", "*", "read");
        grant("/a/", "group:lockers", "lock");
        grant("/b/", "alice", "lock");
    }

    @AfterAll
    static void stop() {
        if (cell != null) {
            cell.printLogTails(System.out, 20);
            cell.close();
        }
    }

    private static Reply as(String token, String method, String path, String json) {
        return cell.call(master, method, path, json, token);
    }

    private static void grant(String path, String subject, String permission) {
        Reply r = as(ROOT, "PUT", "/v1/acls", "{\"path\":\"" + path + "\",\"subject\":\"" + subject + "\",\"permission\":\"" + permission + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private static long session(String token) {
        Reply r = as(token, "POST", "/v1/sessions", "{\"timeoutMillis\":30000}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.number("session");
    }

    private static Reply acquire(String token, long session, String lock) {
        return as(token, "POST", "/v1/locks/acquire", "{\"lock\":\"" + lock + "\",\"session\":" + session + "}");
    }

    private static void assertProblem(Reply r, int status, String type) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.text("type")).as(r.toString()).isEqualTo("urn:warden:problem:" + type);
    }

    @Test
    void aCallerWithoutCredentialsOrWithAWrongTokenIsRefusedWith401() {
        for (int i = 1; i <= cell.size(); i++) {
            Reply none = cell.call(i, "GET", "/v1/locks", null, null);
            assertProblem(none, 401, "unauthenticated");
            assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"warden\"");
        }
        Reply wrong = as(Tokens.newToken(), "POST", "/v1/sessions", "{}");
        assertProblem(wrong, 401, "unauthenticated");
        assertThat(wrong.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        // Discovery and liveness stay open.
        assertThat(cell.call(master, "GET", "/v1/cell", null, null).status()).isEqualTo(200);
        assertThat(cell.call(master, "GET", "/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void aTokenWithoutLockOnAPrefixGets403AndChangesNothing() {
        long s = session(ALICE);
        Reply r = acquire(ALICE, s, "/a/job");
        assertProblem(r, 403, "forbidden");
        assertThat(r.text("permission")).isEqualTo("lock");
        assertThat(r.text("name")).isEqualTo("/a/job");
        assertThat(r.text("principal")).isEqualTo("alice");
        // the lock table and the session are as before
        assertThat(as(ROOT, "GET", "/v1/locks/a/job", null).status()).isEqualTo(404);
        assertThat(as(ROOT, "GET", "/v1/sessions/" + s, null).body().path("holds")).isEmpty();
        // where alice may lock, she can
        assertThat(acquire(ALICE, s, "/b/job").status()).isEqualTo(200);
    }

    @Test
    void aReadOnlyPrincipalCanInspectButNotAcquire() {
        long bob = session(BOB);
        assertThat(acquire(BOB, bob, "/a/inspected").status()).isEqualTo(200); // bob is in group lockers
        Reply view = as(READER, "GET", "/v1/locks/a/inspected", null);
        assertThat(view.status()).as(view.toString()).isEqualTo(200);
        JsonNode holder = view.body().path("holders").get(0);
        assertThat(holder.path("principal").asText()).isEqualTo("bob");
        assertThat(holder.path("session").asLong()).isEqualTo(bob);
        assertThat(as(READER, "GET", "/v1/locks?prefix=/a/", null).body().path("locks")).isNotEmpty();

        long own = session(READER);
        Reply r = acquire(READER, own, "/a/other");
        assertProblem(r, 403, "forbidden");
        assertThat(r.text("permission")).isEqualTo("lock");
        assertProblem(as(READER, "POST", "/v1/locks/break", "{\"lock\":\"/a/inspected\"}"), 403, "forbidden");
        assertProblem(as(READER, "PUT", "/v1/acls", "{\"path\":\"/a/\",\"subject\":\"reader\",\"permission\":\"lock\"}"), 403, "forbidden");
        assertThat(as(READER, "GET", "/v1/acls/check?name=/a/other", null).body().path("permission").asText()).isEqualTo("read");
    }

    @Test
    void aWatchNeedsReadOnEverythingItWouldShow() {
        assertThat(as(READER, "GET", "/v1/events?from=1&prefix=/w/&waitMillis=0", null).status()).isEqualTo(200);
        grant("/w/hidden/", "reader", "none"); // reader reads / (everyone does) but not /w/hidden/
        Reply r = as(READER, "GET", "/v1/events?from=1&prefix=/w/&waitMillis=0", null);
        assertProblem(r, 403, "forbidden");
        assertThat(r.text("name")).isEqualTo("/w/hidden/");
        assertProblem(as(READER, "GET", "/v1/events?from=1&waitMillis=0", null), 403, "forbidden");
        assertThat(as(READER, "GET", "/v1/events?from=1&prefix=/w/visible/&waitMillis=0", null).status()).isEqualTo(200);
        assertThat(as(READER, "GET", "/v1/locks/w/hidden/x", null).status()).isEqualTo(403);
        assertThat(as(BOB, "GET", "/v1/events?from=1&prefix=/w/&waitMillis=0", null).status()).isEqualTo(200);
    }

    @Test
    void aSessionOfOnePrincipalCannotBeUsedByAnother() {
        long bobs = session(BOB);
        Reply r = acquire(ALICE, bobs, "/b/borrowed"); // alice may lock /b/, but not with bob's session
        assertProblem(r, 403, "forbidden");
        assertThat(r.text("detail")).contains("belongs to bob");
        assertProblem(as(ALICE, "POST", "/v1/sessions/" + bobs + "/keepalive", null), 403, "forbidden");
        assertProblem(as(ALICE, "DELETE", "/v1/sessions/" + bobs, null), 403, "forbidden");
        assertThat(as(ROOT, "GET", "/v1/locks/b/borrowed", null).status()).isEqualTo(404);
        assertThat(as(BOB, "POST", "/v1/sessions/" + bobs + "/keepalive", null).status()).isEqualTo(200);
        // inspecting is reading: alice has read on / (everyone has), and sees whose session it is
        assertThat(as(ALICE, "GET", "/v1/sessions/" + bobs, null).body().path("principal").asText()).isEqualTo("bob");
    }

    @Test
    void theClientLibrarySendsItsTokenAndAdministersAcls() {
        String[] endpoints = new String[cell.size()];
        for (int i = 1; i <= cell.size(); i++) endpoints[i - 1] = cell.url(i);
        try (io.warden.client.WardenClient anonymous = io.warden.client.WardenClient.builder().endpoints(endpoints).build()) {
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(io.warden.client.WardenException.class,
                () -> anonymous.newSession(Duration.ofSeconds(10))).status()).isEqualTo(401);
        }
        try (io.warden.client.WardenClient root = io.warden.client.WardenClient.builder().endpoints(endpoints).token(ROOT).build();
             io.warden.client.WardenClient alice = io.warden.client.WardenClient.builder().endpoints(endpoints).token(ALICE).build();
             io.warden.client.Session s = alice.newSession(Duration.ofSeconds(10), "client-test")) {
            var denied = org.assertj.core.api.Assertions.catchThrowableOfType(io.warden.client.WardenException.class,
                () -> s.lock("/c/x").acquire(Duration.ofSeconds(1)));
            assertThat(denied.status()).isEqualTo(403);
            assertThat(root.setAcl("/c/", "alice", io.warden.api.Permission.LOCK).index()).isPositive();
            assertThat(root.checkAcl("/c/x", "alice").permission()).isEqualTo(io.warden.api.Permission.LOCK);
            assertThat(s.lock("/c/x").acquire(Duration.ofSeconds(5))).isPresent();
            assertThat(root.inspect("/c/x").orElseThrow().holders().get(0).principal()).isEqualTo("alice");
            assertThat(root.acls("/c/").entries()).containsExactly(new io.warden.api.Acls.Entry("/c/", "alice", io.warden.api.Permission.LOCK));
            assertThat(root.audit(0, 1000).entries()).anyMatch(e -> e.action().equals("acl.set") && e.target().equals("/c/"));
            assertThat(root.removeAcl("/c/", "alice").removed()).isTrue();
        }
    }

    @Test
    void anAdminBreakIsAuditedWithPrincipalAndEventIndex() {
        long bob = session(BOB);
        assertThat(acquire(BOB, bob, "/a/broken").status()).isEqualTo(200);
        Reply broke = as(ROOT, "POST", "/v1/locks/break", "{\"lock\":\"/a/broken\"}");
        assertThat(broke.status()).as(broke.toString()).isEqualTo(200);

        Reply audit = as(ROOT, "GET", "/v1/audit?from=0&max=1000", null);
        assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
        JsonNode entry = null;
        for (JsonNode e : audit.body().path("entries")) if (e.path("target").asText().equals("/a/broken")) entry = e;
        assertThat(entry).as(audit.toString()).isNotNull();
        assertThat(entry.path("principal").asText()).isEqualTo("root");
        assertThat(entry.path("action").asText()).isEqualTo("lock.broken");
        assertThat(entry.path("details").asText()).contains("session " + bob + " (bob)");
        long index = entry.path("index").asLong();
        Reply event = as(ROOT, "GET", "/v1/events?from=" + index + "&max=1&waitMillis=0", null);
        assertThat(event.body().path("events").get(0).path("type").asText()).as(event.toString()).isEqualTo("lock.broken");
        assertThat(event.body().path("events").get(0).path("lock").asText()).isEqualTo("/a/broken");
        // the ACL grants made at start are in the trail too
        assertThat(audit.body().path("entries").findValuesAsText("action")).contains("acl.set");
        // reading the trail is for administrators
        assertProblem(as(BOB, "GET", "/v1/audit", null), 403, "forbidden");
    }
}
