package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.http.OneReplicaCell.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sessions through the REST API: create, KeepAlive, inspect, close; timeouts are clamped to the cell's bounds. */
class SessionApiTest {
    private static OneReplicaCell cell;

    @BeforeAll
    static void start() throws Exception {
        cell = OneReplicaCell.start();
    }

    @AfterAll
    static void stop() {
        if (cell != null) cell.close();
    }

    @Test
    void createKeepAliveInspectAndClose() {
        Reply created = cell.post("/v1/sessions", "{\"timeoutMillis\": 5000, \"client\": \"billing-7\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long id = created.asLong("session");
        assertThat(created.asLong("timeoutMillis")).isEqualTo(5000);
        assertThat(created.asLong("ttlMillis")).isEqualTo(5000);
        assertThat(created.raw().headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/v1/sessions/" + id));

        Reply kept = cell.post("/v1/sessions/" + id + "/keepalive", null);
        assertThat(kept.status()).as(kept.text()).isEqualTo(200);
        assertThat(kept.asLong("session")).isEqualTo(id);
        assertThat(kept.asLong("ttlMillis")).isEqualTo(5000);
        // A KeepAlive has no body: whatever a client sends with it (curl -d '' sends a form type) is ignored.
        Reply form = cell.post("/v1/sessions/" + id + "/keepalive", "", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(form.status()).as(form.text()).isEqualTo(200);

        Reply shown = cell.get("/v1/sessions/" + id);
        assertThat(shown.body().get("client").asText()).isEqualTo("billing-7");
        assertThat(shown.body().get("timeoutMillis").asLong()).isEqualTo(5000);
        assertThat(shown.body().get("created").asText()).endsWith("Z");
        assertThat(cell.get("/v1/sessions").body().get("sessions").findValuesAsText("client")).contains("billing-7");

        Reply closed = cell.send("DELETE", "/v1/sessions/" + id, null);
        assertThat(closed.status()).as(closed.text()).isEqualTo(200);
        assertThat(closed.body().get("closed").asBoolean()).isTrue();

        Reply gone = cell.post("/v1/sessions/" + id + "/keepalive", null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.problem()).isEqualTo("session-expired");
        assertThat(cell.get("/v1/sessions/" + id).problem()).isEqualTo("no-such-session");
        assertThat(cell.send("DELETE", "/v1/sessions/" + id, null).problem()).isEqualTo("no-such-session");
    }

    @Test
    void aBodilessCreateGetsTheDefaults() {
        Reply r = cell.send("POST", "/v1/sessions", null);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.asLong("timeoutMillis")).isEqualTo(12_000);
        assertThat(cell.get("/v1/sessions/" + r.asLong("session")).body().get("client").isNull()).isTrue();
    }

    @Test
    void timeoutsAreClampedToTheCellsBounds() {
        JsonLimits limits = JsonLimits.of(cell);
        assertThat(cell.post("/v1/sessions", "{\"timeoutMillis\": 10}").asLong("timeoutMillis")).isEqualTo(limits.minSession());
        assertThat(cell.post("/v1/sessions", "{\"timeoutMillis\": 99999999}").asLong("timeoutMillis")).isEqualTo(limits.maxSession());
    }

    @Test
    void oneKeepAliveRenewsManySessionsAndNamesThoseThatAreGone() {
        long a = cell.session("batch-a");
        long b = cell.session("batch-b");
        long closed = cell.session("batch-closed");
        assertThat(cell.send("DELETE", "/v1/sessions/" + closed, null).status()).isEqualTo(200);

        Reply r = cell.post("/v1/sessions/keepalive", "{\"sessions\": [" + a + ", " + b + ", " + closed + ", 987655]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().get("renewed").findValuesAsText("session")).containsExactly(Long.toString(a), Long.toString(b));
        assertThat(r.body().get("renewed").get(0).get("ttlMillis").asLong()).isPositive();
        assertThat(r.body().get("renewed").get(0).get("held").isArray()).isTrue();
        assertThat(r.body().get("gone").toString()).isEqualTo("[" + closed + ",987655]");
    }

    @Test
    void anUnknownSessionsKeepAliveIsA404AndTheReplicaKeepsServing() {
        Reply r = cell.post("/v1/sessions/987654/keepalive", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.problem()).isEqualTo("session-expired");
        assertThat(r.body().get("session").asLong()).isEqualTo(987654);
        assertThat(cell.get("/v1/limits").status()).isEqualTo(200);
    }

    @Test
    void listingsArePaged() {
        long a = cell.session("page-a");
        long b = cell.session("page-b");
        Reply first = cell.get("/v1/sessions?after=" + (a - 1) + "&max=1");
        assertThat(first.body().get("sessions").get(0).get("session").asLong()).isEqualTo(a);
        assertThat(first.body().get("truncated").asBoolean()).isTrue();
        Reply next = cell.get("/v1/sessions?after=" + a + "&max=1");
        assertThat(next.body().get("sessions").get(0).get("session").asLong()).isEqualTo(b);
    }

    /** The bounds the tests compare with, as {@code GET /v1/limits} reports them. */
    record JsonLimits(long minSession, long maxSession) {
        static JsonLimits of(OneReplicaCell cell) {
            Reply r = cell.get("/v1/limits");
            return new JsonLimits(r.asLong("minSessionTimeoutMillis"), r.asLong("maxSessionTimeoutMillis"));
        }
    }
}
