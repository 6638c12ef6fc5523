package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.server.http.OneReplicaCell.Reply;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input to the lock service's API gets a 4xx application/problem+json naming
 * the problem (and, for a field, the field), never a 500, and changes nothing: no event mentions
 * the session or the names the requests used. {@code $S} stands for a live session's id.
 */
class BadInputTest {
    private static final String JSON = "application/json";
    private static OneReplicaCell cell;
    private static long session;

    @BeforeAll
    static void start() throws Exception {
        cell = OneReplicaCell.start();
        session = cell.session("table");
    }

    @AfterAll
    static void stop() {
        if (cell != null) cell.close();
    }

    static Stream<Arguments> badInputs() {
        String big = "x".repeat(BodyLimit.MAX_BODY_BYTES + 10);
        return Stream.of(
            // sessions
            bad("POST", "/v1/sessions", "{\"timeoutMillis\": -5}", 400, "invalid-field"),
            bad("POST", "/v1/sessions", "{\"timeoutMillis\": \"soon\"}", 400, "malformed-json"),
            bad("POST", "/v1/sessions", "{\"ttl\": 5}", 400, "unknown-field"),
            bad("POST", "/v1/sessions", "{", 400, "malformed-json"),
            bad("POST", "/v1/sessions", "{\"client\": \"" + "c".repeat(129) + "\"}", 400, "client-too-long"),
            bad("POST", "/v1/sessions", "{\"client\": \"" + big + "\"}", 413, "body-too-large"),
            Arguments.of("POST", "/v1/sessions", "client=x", "text/plain", 415, "unsupported-media-type"),
            bad("POST", "/v1/sessions/abc/keepalive", null, 400, "invalid-parameter"),
            bad("POST", "/v1/sessions/0/keepalive", null, 400, "invalid-parameter"),
            bad("POST", "/v1/sessions/424242/keepalive", null, 404, "session-expired"),
            bad("POST", "/v1/sessions/keepalive", "{}", 400, "missing-field", "sessions"),
            bad("POST", "/v1/sessions/keepalive", "", 400, "missing-field", "sessions"),
            bad("POST", "/v1/sessions/keepalive", "{\"sessions\": []}", 400, "invalid-field", "sessions"),
            bad("POST", "/v1/sessions/keepalive", "{\"sessions\": [1, 0]}", 400, "invalid-field", "sessions"),
            bad("POST", "/v1/sessions/keepalive", "{\"sessions\": [1, null]}", 400, "missing-field", "sessions"),
            bad("POST", "/v1/sessions/keepalive", "{\"sessions\": \"x\"}", 400, "malformed-json"),
            bad("POST", "/v1/sessions/keepalive", "{\"sessions\": [" + "1,".repeat(2000) + "1]}", 400, "invalid-field", "sessions"),
            bad("GET", "/v1/sessions/424242", null, 404, "no-such-session"),
            bad("GET", "/v1/sessions?max=0", null, 400, "invalid-parameter"),
            bad("DELETE", "/v1/sessions/-1", null, 400, "invalid-parameter"),
            bad("DELETE", "/v1/sessions/424242", null, 404, "no-such-session"),
            // acquire
            bad("POST", "/v1/locks/acquire", "{}", 400, "missing-field", "lock"),
            bad("POST", "/v1/locks/acquire", "null", 400, "missing-field", "lock"),
            bad("POST", "/v1/locks/acquire", "", 400, "missing-field", "lock"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\"}", 400, "missing-field", "session"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"table/a\", \"session\": $S}", 400, "invalid-name", "lock"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table//a\", \"session\": $S}", 400, "invalid-name", "lock"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/../a\", \"session\": $S}", 400, "invalid-name", "lock"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/" + "a".repeat(300) + "\", \"session\": $S}", 400, "invalid-name", "lock"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\", \"session\": $S, \"mode\": \"write\"}", 400, "invalid-mode", "mode"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\", \"session\": $S, \"waitMillis\": -1}", 400, "invalid-field", "waitMillis"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\", \"session\": $S, \"waitMillis\": 999999999}", 400, "wait-too-long", "waitMillis"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\", \"session\": $S, \"lockDelayMillis\": 600000}", 400, "lock-delay-too-long", "lockDelayMillis"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\", \"session\": $S, \"lockDelayMillis\": -2}", 400, "invalid-field", "lockDelayMillis"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\", \"session\": 0}", 400, "invalid-field", "session"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\", \"session\": \"seven\"}", 400, "malformed-json"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\", \"session\": $S, \"ttl\": 1}", 400, "unknown-field"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\", \"session\": $S} {}", 400, "malformed-json"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\", \"session\": 424242}", 404, "no-such-session"),
            bad("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\", \"session\": $S, \"value\": \"" + big + "\"}", 413, "body-too-large"),
            Arguments.of("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\", \"session\": 1}", "text/plain", 415,
                "unsupported-media-type"),
            // a +json body: Jersey's @Consumes(application/json) refuses it, so the hot path must too
            Arguments.of("POST", "/v1/locks/acquire", "{\"lock\": \"/table/a\", \"session\": $S}", "application/vnd.warden+json", 415,
                "unsupported-media-type"),
            Arguments.of("POST", "/v1/sessions/keepalive", "{\"sessions\": [$S]}", "application/vnd.warden+json", 415,
                "unsupported-media-type"),
            // release, value, break, check
            bad("POST", "/v1/locks/release", "{\"lock\": \"/table/a\"}", 400, "missing-field", "session"),
            bad("POST", "/v1/locks/release", "{\"lock\": \"/table/a\", \"session\": $S}", 409, "not-holder"),
            bad("POST", "/v1/locks/value", "{\"lock\": \"/table/a\", \"session\": $S}", 400, "missing-field", "value"),
            bad("POST", "/v1/locks/value", "{\"lock\": \"/table/a\", \"session\": $S, \"value\": \"v\"}", 409, "not-holder"),
            bad("POST", "/v1/locks/value", "{\"lock\": \"/table/a\", \"session\": $S, \"value\": \"" + "v".repeat(5000) + "\"}", 413,
                "value-too-large", "value"),
            bad("POST", "/v1/locks/break", "{}", 400, "missing-field", "lock"),
            bad("POST", "/v1/locks/break", "{\"lock\": \"/table/a\"}", 404, "not-held"),
            bad("POST", "/v1/sequencers/check", "{\"lock\": \"/table/a\", \"mode\": \"exclusive\", \"session\": $S}", 400, "missing-field", "token"),
            bad("POST", "/v1/sequencers/check", "{\"lock\": \"/table/a\", \"session\": $S, \"token\": 1}", 400, "missing-field", "mode"),
            bad("POST", "/v1/sequencers/check", "{\"lock\": \"/table/a\", \"mode\": \"x\", \"session\": $S, \"token\": 1}", 400, "invalid-mode", "mode"),
            // groups
            bad("POST", "/v1/groups/join", "{\"group\": \"/table/g\", \"member\": \"-x\", \"session\": $S}", 400, "invalid-name", "member"),
            bad("POST", "/v1/groups/join", "{\"group\": \"table\", \"member\": \"m\", \"session\": $S}", 400, "invalid-name", "group"),
            bad("POST", "/v1/groups/join", "{\"group\": \"/table/g\", \"session\": $S}", 400, "missing-field", "member"),
            bad("POST", "/v1/groups/join", "{\"group\": \"/table/g\", \"member\": \"m\", \"session\": $S, \"payload\": \"" + "p".repeat(1025)
                + "\"}", 413, "payload-too-large", "payload"),
            bad("POST", "/v1/groups/join", "{\"group\": \"/table/g\", \"member\": \"m\", \"session\": 424242}", 404, "no-such-session"),
            bad("POST", "/v1/groups/leave", "{\"group\": \"/table/g\", \"member\": \"m\", \"session\": $S}", 404, "not-member"),
            // reads
            bad("GET", "/v1/locks/table/unknown", null, 404, "no-such-lock"),
            bad("GET", "/v1/locks/table/a%20b", null, 400, "invalid-name", "lock"),
            bad("GET", "/v1/locks?prefix=table", null, 400, "invalid-name", "prefix"),
            bad("GET", "/v1/locks?max=0", null, 400, "invalid-parameter", "max"),
            bad("GET", "/v1/locks?max=many", null, 400, "invalid-parameter", "max"),
            bad("GET", "/v1/groups/table%20g/members", null, 400, "invalid-name", "group"),
            // ACLs and audit
            bad("PUT", "/v1/acls", "{}", 400, "missing-field", "path"),
            bad("PUT", "/v1/acls", "{\"path\": \"table/\", \"subject\": \"a\", \"permission\": \"read\"}", 400, "invalid-name", "path"),
            bad("PUT", "/v1/acls", "{\"path\": \"/table//\", \"subject\": \"a\", \"permission\": \"read\"}", 400, "invalid-name", "path"),
            bad("PUT", "/v1/acls", "{\"path\": \"/table/\", \"subject\": \"a b\", \"permission\": \"read\"}", 400, "invalid-subject", "subject"),
            bad("PUT", "/v1/acls", "{\"path\": \"/table/\", \"subject\": \"group:\", \"permission\": \"read\"}", 400, "invalid-subject", "subject"),
            bad("PUT", "/v1/acls", "{\"path\": \"/table/\", \"subject\": \"a\", \"permission\": \"write\"}", 400, "invalid-permission", "permission"),
            bad("PUT", "/v1/acls", "{\"path\": \"/table/\", \"subject\": \"a\"}", 400, "missing-field", "permission"),
            bad("PUT", "/v1/acls", "{\"path\": \"/table/\", \"subject\": \"a\", \"permission\": \"read\", \"ttl\": 1}", 400, "unknown-field"),
            bad("DELETE", "/v1/acls?path=/table/", null, 400, "missing-field", "subject"),
            bad("DELETE", "/v1/acls?path=/table/&subject=nobody", null, 404, "no-such-acl"),
            bad("GET", "/v1/acls?prefix=table", null, 400, "invalid-name", "prefix"),
            bad("GET", "/v1/acls/check", null, 400, "missing-field", "name"),
            bad("GET", "/v1/acls/check?name=/table/a&principal=a%20b", null, 400, "invalid-subject", "principal"),
            bad("GET", "/v1/audit?max=0", null, 400, "invalid-parameter", "max"),
            bad("GET", "/v1/audit?from=x", null, 400, "invalid-parameter", "from"),
            bad("GET", "/v1/events", null, 400, "missing-field", "from"),
            bad("GET", "/v1/events?from=-1", null, 400, "invalid-parameter", "from"),
            bad("GET", "/v1/events?from=1&waitMillis=600000", null, 400, "invalid-parameter", "waitMillis"),
            bad("GET", "/v1/events?from=1&max=0", null, 400, "invalid-parameter", "max"),
            bad("GET", "/v1/events?from=1&prefix=x", null, 400, "invalid-name", "prefix"),
            bad("GET", "/v1/events?from=1&group=/a//b", null, 400, "invalid-name", "group"),
            bad("PUT", "/v1/locks/acquire", "{}", 405, "method-not-allowed"),
            bad("GET", "/v1/lockz", null, 404, "not-found"));
    }

    private static Arguments bad(String method, String path, String body, int status, String problem, String... field) {
        return Arguments.of(method, path, body, body == null ? null : JSON, status, field.length == 0 ? problem : problem + "@" + field[0]);
    }

    @ParameterizedTest(name = "{0} {1} -> {4} {5}")
    @MethodSource("badInputs")
    void badInputGetsAProblemAndChangesNothing(String method, String path, String body, String contentType, int status, String expected)
            throws Exception {
        long before = cell.lastEventIndex();
        String[] headers = contentType == null ? new String[0] : new String[] {"Content-Type", contentType};
        String json = body == null ? null : body.replace("$S", String.valueOf(session));
        Reply r = cell.send(method, path, json, headers);
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.raw().headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith(Problem.MEDIA_TYPE));
        String[] typeAndField = expected.split("@");
        assertThat(r.problem()).isEqualTo(typeAndField[0]);
        assertThat(r.body().get("status").asInt()).isEqualTo(status);
        assertThat(r.body().get("detail").asText()).isNotBlank();
        if (typeAndField.length > 1) assertThat(r.body().get("field").asText()).isEqualTo(typeAndField[1]);
        assertNothingChanged(before);
    }

    /** The same id with and without the other header, or malformed: refused before anything is proposed. */
    @ParameterizedTest(name = "{0}={1}, {2}={3} -> {4}")
    @org.junit.jupiter.params.provider.CsvSource({
        "Warden-Client-Id, abc, Warden-Request-Seq, 1, invalid-header",
        "Warden-Client-Id, 5, Warden-Request-Seq, 0, invalid-header",
        "Warden-Client-Id, 5, X-Other, 1, missing-header",
        "X-Other, 5, Warden-Request-Seq, 1, missing-header",
    })
    void badRequestIdHeadersAreRefused(String h1, String v1, String h2, String v2, String problem) throws Exception {
        long before = cell.lastEventIndex();
        Reply r = cell.post("/v1/locks/acquire", "{\"lock\": \"/table/h\", \"session\": " + session + "}", h1, v1, h2, v2);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.problem()).isEqualTo(problem);
        assertNothingChanged(before);
    }

    /**
     * A caller that will not take JSON gets 406 before anything is done, on the requests the hot path
     * serves as on the others (the hot path once granted the lock and answered JSON anyway).
     */
    @ParameterizedTest(name = "{0} {1} with Accept: {3} -> 406")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "POST | /v1/locks/acquire | {\"lock\": \"/table/n\", \"session\": $S} | text/plain",
        "POST | /v1/locks/release | {\"lock\": \"/table/n\", \"session\": $S} | text/html",
        "POST | /v1/sessions/keepalive | {\"sessions\": [$S]} | text/plain",
        "POST | /v1/sessions/$S/keepalive | | text/plain",
        "POST | /v1/sessions | {\"client\": \"table\"} | text/plain",
        // A weight of 0 is "not acceptable" (RFC 9110), which Jersey's negotiation alone served.
        "POST | /v1/locks/acquire | {\"lock\": \"/table/n\", \"session\": $S} | application/json;q=0",
        "POST | /v1/locks/release | {\"lock\": \"/table/n\", \"session\": $S} | application/json;q=0, */*",
        "POST | /v1/sessions/keepalive | {\"sessions\": [$S]} | */*;q=0",
        "POST | /v1/sessions/$S/keepalive | | application/*;q=0, text/plain",
        "POST | /v1/sessions | {\"client\": \"table\"} | application/json;q=0.0",
    })
    void aCallerThatWillNotTakeJsonGets406AndNothingIsDone(String method, String path, String body, String accept) throws Exception {
        long before = cell.lastEventIndex();
        String json = body == null ? null : body.replace("$S", String.valueOf(session));
        String[] headers = json == null ? new String[] {"Accept", accept} : new String[] {"Content-Type", JSON, "Accept", accept};
        Reply r = cell.send(method, path.replace("$S", String.valueOf(session)), json, headers);
        assertThat(r.status()).as(r.text()).isEqualTo(406);
        assertThat(r.raw().headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith(Problem.MEDIA_TYPE));
        assertThat(r.problem()).isEqualTo("not-acceptable");
        assertNothingChanged(before);
    }

    /** Weights above 0 are served as before, whatever else the caller would rather have. */
    @ParameterizedTest(name = "GET /v1/cell with Accept: {0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "text/plain, application/json;q=0.1 | 200",
        "*/*;q=0, application/json;q=0.5 | 200",
        "application/json;q=0, text/plain | 406",
        // Weights Jersey cannot read are Jersey's to answer, before this looks at them.
        "application/json;q=x | 400",
        "application/json;q=2 | 400",
    })
    void aWeightAboveZeroIsServed(String accept, int status) throws Exception {
        Reply r = cell.send("GET", "/v1/cell", null, "Accept", accept);
        assertThat(r.status()).as(r.text()).isEqualTo(status);
    }

    private static void assertNothingChanged(long before) {
        Reply events = cell.get("/v1/events?from=" + (before + 1) + "&waitMillis=0&max=1000");
        assertThat(events.status()).isEqualTo(200);
        for (JsonNode e : events.body().get("events")) {
            assertThat(e.path("session").asLong()).as("event %s", e).isNotEqualTo(session);
            assertThat(e.path("lock").asText("")).as("event %s", e).doesNotStartWith("/table");
            assertThat(e.path("group").asText("")).as("event %s", e).doesNotStartWith("/table");
        }
        assertThat(cell.get("/v1/sessions/" + session).body().get("holds")).isEmpty();
        assertThat(cell.get("/v1/locks?prefix=/table").body().get("locks")).isEmpty();
    }
}
