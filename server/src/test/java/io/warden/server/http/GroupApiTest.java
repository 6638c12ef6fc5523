package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.http.OneReplicaCell.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Group membership through the REST API: members are tied to their session and go with it. */
class GroupApiTest {
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
    void joinListLeave() {
        long a = cell.session("host-a");
        long b = cell.session("host-b");
        Reply joined = join("/svc/api", "host-a", a, "10.0.0.1:8080");
        assertThat(joined.status()).as(joined.text()).isEqualTo(200);
        assertThat(joined.asLong("index")).isPositive();
        assertThat(join("/svc/api", "host-b", b, "10.0.0.2:8080").status()).isEqualTo(200);

        Reply members = cell.get("/v1/groups/svc/api/members");
        assertThat(members.status()).isEqualTo(200);
        assertThat(members.body().get("group").asText()).isEqualTo("/svc/api");
        assertThat(members.body().get("members").findValuesAsText("member")).containsExactly("host-a", "host-b");
        assertThat(members.body().get("members").get(0).get("payload").asText()).isEqualTo("10.0.0.1:8080");
        assertThat(members.asLong("index")).isGreaterThanOrEqualTo(joined.asLong("index"));

        Reply taken = join("/svc/api", "host-a", b, "impostor");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.problem()).isEqualTo("member-taken");

        Reply notMine = cell.post("/v1/groups/leave", "{\"group\": \"/svc/api\", \"member\": \"host-a\", \"session\": " + b + "}");
        assertThat(notMine.status()).isEqualTo(404);
        assertThat(notMine.problem()).isEqualTo("not-member");

        Reply left = cell.post("/v1/groups/leave", "{\"group\": \"/svc/api\", \"member\": \"host-a\", \"session\": " + a + "}");
        assertThat(left.status()).as(left.text()).isEqualTo(200);
        assertThat(cell.get("/v1/groups/svc/api/members").body().get("members").findValuesAsText("member")).containsExactly("host-b");
        assertThat(join("/svc/api", "host-a", b, "now mine").status()).as("a freed name can be taken").isEqualTo(200);
    }

    @Test
    void membersGoWithTheirSession() {
        long a = cell.session("worker");
        assertThat(join("/svc/batch", "w-1", a, "").status()).isEqualTo(200);
        assertThat(join("/svc/batch", "w-1", a, "payload updated").status()).as("joining again updates").isEqualTo(200);
        assertThat(cell.get("/v1/groups/svc/batch/members").body().get("members").get(0).get("payload").asText()).isEqualTo("payload updated");
        assertThat(cell.get("/v1/sessions/" + a).body().get("memberships").get(0).get("member").asText()).isEqualTo("w-1");
        assertThat(cell.send("DELETE", "/v1/sessions/" + a, null).status()).isEqualTo(200);
        assertThat(cell.get("/v1/groups/svc/batch/members").body().get("members")).isEmpty();
    }

    private static Reply join(String group, String member, long session, String payload) {
        return cell.post("/v1/groups/join", "{\"group\": \"" + group + "\", \"member\": \"" + member + "\", \"session\": " + session
            + ", \"payload\": \"" + payload + "\"}");
    }
}
