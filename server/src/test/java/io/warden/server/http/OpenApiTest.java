package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.server.http.OneReplicaCell.Reply;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/openapi.json} is served, names every operation the resources implement (and
 * nothing they do not), every reference in it resolves, and real answers fit its schemas.
 */
class OpenApiTest {
    private static final List<Class<?>> RESOURCES = List.of(SessionResource.class, LockResource.class, SequencerResource.class,
        GroupResource.class, EventResource.class, LimitsResource.class, OpenApiResource.class, CellResource.class, KvResource.class,
        AclResource.class, AuditResource.class);
    private static OneReplicaCell cell;
    private static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        cell = OneReplicaCell.start();
        Reply r = cell.get("/v1/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        doc = r.body();
    }

    @AfterAll
    static void stop() {
        if (cell != null) cell.close();
    }

    @Test
    void documentsExactlyTheOperationsTheResourcesImplement() {
        assertThat(doc.get("openapi").asText()).startsWith("3.0");
        TreeSet<String> implemented = new TreeSet<>();
        for (Class<?> c : RESOURCES) {
            String base = c.getAnnotation(Path.class).value();
            for (Method m : c.getDeclaredMethods()) {
                String verb = m.isAnnotationPresent(GET.class) ? "get" : m.isAnnotationPresent(POST.class) ? "post"
                    : m.isAnnotationPresent(PUT.class) ? "put" : m.isAnnotationPresent(DELETE.class) ? "delete" : null;
                if (verb == null) continue;
                Path sub = m.getAnnotation(Path.class);
                String path = ("/" + base + (sub == null ? "" : "/" + sub.value())).replaceAll("/+", "/").replaceAll("\\{(\\w+):[^}]*}", "{$1}");
                if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
                implemented.add(verb + " " + path);
            }
        }
        TreeSet<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : doc.get("paths").properties()) {
            e.getValue().fieldNames().forEachRemaining(verb -> documented.add(verb + " " + e.getKey()));
        }
        assertThat(documented).isEqualTo(implemented);
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }

    @Test
    void realAnswersFitTheSchemas() {
        Reply created = cell.post("/v1/sessions", "{\"client\": \"schema\"}");
        fits(created.body(), "SessionCreated");
        long s = created.asLong("session");
        fits(cell.post("/v1/sessions/" + s + "/keepalive", null).body(), "KeepAlive");
        fits(cell.acquire(s, "/schema/x", "exclusive", 0).body(), "Granted");
        fits(cell.post("/v1/locks/value", "{\"lock\": \"/schema/x\", \"session\": " + s + ", \"value\": \"v\"}").body(), "ValueSet");
        fits(cell.get("/v1/locks/schema/x").body(), "Lock");
        fits(cell.get("/v1/locks?prefix=/schema/").body(), "LockList");
        fits(cell.post("/v1/groups/join", "{\"group\": \"/schema/g\", \"member\": \"m\", \"session\": " + s + "}").body(), "MembershipChange");
        fits(cell.get("/v1/groups/schema/g/members").body(), "MemberList");
        fits(cell.get("/v1/sessions/" + s).body(), "Session");
        fits(cell.get("/v1/sessions").body(), "SessionList");
        fits(cell.get("/v1/events?from=1&waitMillis=0").body(), "EventPage");
        fits(cell.get("/v1/limits").body(), "Limits");
        fits(cell.get("/v1/cell").body(), "Cell");
        fits(cell.get("/health").body(), "Health");
        fits(cell.send("PUT", "/v1/acls", "{\"path\": \"/schema/\", \"subject\": \"alice\", \"permission\": \"read\"}").body(), "AclChanged");
        fits(cell.get("/v1/acls").body(), "AclList");
        fits(cell.get("/v1/acls/check?name=/schema/x&principal=alice").body(), "AclCheck");
        fits(cell.send("DELETE", "/v1/acls?path=/schema/&subject=alice", null).body(), "AclChanged");
        fits(cell.get("/v1/audit").body(), "AuditPage");
        fits(cell.acquire(s + 1000, "/schema/x", "exclusive", 0).body(), "Problem");
        fits(cell.post("/v1/locks/release", "{\"lock\": \"/schema/x\", \"session\": " + s + "}").body(), "Released");
        fits(cell.send("DELETE", "/v1/sessions/" + s, null).body(), "SessionClosed");
    }

    /** A small structural check: required fields present, no field the schema does not name, types of scalars. */
    private static void fits(JsonNode value, String schema) {
        check(value, doc.at("/components/schemas/" + schema), schema);
    }

    private static void check(JsonNode value, JsonNode schema, String where) {
        if (value.isNull() && schema.path("nullable").asBoolean()) return; // "allOf": [{"$ref"}], "nullable": true
        if (schema.has("$ref")) {
            check(value, doc.at(schema.get("$ref").asText().substring(1)), where);
            return;
        }
        if (schema.has("allOf")) {
            check(value, schema.get("allOf").get(0), where);
            return;
        }
        if (value.isNull()) {
            assertThat(schema.path("nullable").asBoolean()).as(where + " may be null").isTrue();
            return;
        }
        switch (schema.path("type").asText()) {
            case "object" -> {
                assertThat(value.isObject()).as(where + " is an object").isTrue();
                for (JsonNode r : schema.path("required")) assertThat(value.has(r.asText())).as(where + "." + r.asText()).isTrue();
                JsonNode props = schema.path("properties");
                for (Iterator<String> f = value.fieldNames(); f.hasNext(); ) {
                    String name = f.next();
                    if (props.has(name)) {
                        check(value.get(name), props.get(name), where + "." + name);
                    } else {
                        assertThat(schema.path("additionalProperties").asBoolean(true)).as(where + "." + name + " is documented").isTrue();
                    }
                }
            }
            case "array" -> {
                assertThat(value.isArray()).as(where + " is an array").isTrue();
                for (JsonNode item : value) check(item, schema.get("items"), where + "[]");
            }
            case "integer" -> assertThat(value.isIntegralNumber()).as(where + " is an integer").isTrue();
            case "number" -> assertThat(value.isNumber()).as(where + " is a number").isTrue();
            case "boolean" -> assertThat(value.isBoolean()).as(where + " is a boolean").isTrue();
            case "string" -> {
                assertThat(value.isTextual()).as(where + " is a string").isTrue();
                if (schema.has("enum")) {
                    List<String> allowed = new ArrayList<>();
                    schema.get("enum").forEach(e -> allowed.add(e.asText()));
                    assertThat(allowed).as(where).contains(value.asText());
                }
            }
            default -> { }
        }
    }

    private static void collectRefs(JsonNode n, List<String> out) {
        if (n.isObject()) {
            if (n.has("$ref")) out.add(n.get("$ref").asText());
            n.forEach(c -> collectRefs(c, out));
        } else if (n.isArray()) {
            n.forEach(c -> collectRefs(c, out));
        }
    }
}
