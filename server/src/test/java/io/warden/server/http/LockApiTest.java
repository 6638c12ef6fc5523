package io.warden.server.http;

import static io.warden.server.http.OneReplicaCell.acquireBody;
import static io.warden.server.http.OneReplicaCell.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.server.http.OneReplicaCell.Reply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lock service through its REST API against a real one-replica cell: try-once and waiting
 * acquires (answered by the grant itself, with no polling), shared and exclusive modes, FIFO
 * order, lock-delay on break and on expiry but not on a clean close, sequencers, values, and
 * exactly-once retries. Each test uses its own lock names and sessions.
 */
class LockApiTest {
    private static OneReplicaCell cell;

    @BeforeAll
    static void start() throws Exception {
        cell = OneReplicaCell.start();
    }

    @AfterAll
    static void stop() {
        if (cell != null) cell.close();
    }

    /** Chubby §2.4: an exclusive lock has one holder; the next waiter is granted at the release, with a higher token. */
    @Test
    void exclusiveHolderBlocksOthersAndTheWaiterIsGrantedAtTheRelease() throws Exception {
        long a = cell.session("a");
        long b = cell.session("b");
        long first = token(cell.acquire(a, "/ex/primary", "exclusive", 0));

        Reply busy = cell.acquire(b, "/ex/primary", "exclusive", 0);
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.problem()).isEqualTo("not-acquired");
        assertThat(busy.body().get("detail").asText()).contains("held by session " + a);

        CompletableFuture<Reply> waiting = cell.postAsync("/v1/locks/acquire", acquireBody(b, "/ex/primary", "exclusive", 20_000, -1));
        cell.awaitWaiting(b, "/ex/primary");
        assertThat(waiting).isNotDone();
        long released = System.nanoTime();
        assertThat(cell.release(a, "/ex/primary").status()).isEqualTo(200);
        Reply granted = waiting.get(5, TimeUnit.SECONDS);
        long tookMillis = (System.nanoTime() - released) / 1_000_000;
        assertThat(token(granted)).isGreaterThan(first);
        assertThat(granted.body().get("sequencer").get("session").asLong()).isEqualTo(b);
        assertThat(tookMillis).as("the grant answers the waiting request at once").isLessThan(1_000);
    }

    /**
     * HotPath serves an acquire and a release sent with a Content-Length; the same requests with a
     * chunked body (no declared length) go on to Jersey: both forms are answered alike.
     */
    @Test
    void aChunkedBodyIsServedLikeOneWithALength() throws Exception {
        long s = cell.session("chunked");
        long viaHotPath = token(cell.acquire(s, "/forms/a", "exclusive", 0));
        Reply chunked = OneReplicaCell.reply(cell.client().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cell.base() + "/v1/locks/acquire"))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                acquireBody(s, "/forms/b", "exclusive", 0, -1).getBytes(java.nio.charset.StandardCharsets.UTF_8))))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString()));
        assertThat(token(chunked)).isGreaterThan(viaHotPath);
        Reply busy = OneReplicaCell.reply(cell.client().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cell.base() + "/v1/locks/acquire"))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                acquireBody(cell.session("other"), "/forms/a", "exclusive", 0, -1).getBytes(java.nio.charset.StandardCharsets.UTF_8))))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString()));
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.problem()).isEqualTo("not-acquired");
        assertThat(cell.release(s, "/forms/a").status()).isEqualTo(200);
        assertThat(cell.release(s, "/forms/b").status()).isEqualTo(200);
    }

    @Test
    void sharedHoldersCoexistAndAnExclusiveWaiterWaitsForAllOfThem() throws Exception {
        long r1 = cell.session("reader-1");
        long r2 = cell.session("reader-2");
        long w = cell.session("writer");
        token(cell.acquire(r1, "/sh/table", "shared", 0));
        token(cell.acquire(r2, "/sh/table", "shared", 0));
        assertThat(cell.lock("/sh/table").get("holders")).hasSize(2);

        CompletableFuture<Reply> writer = cell.postAsync("/v1/locks/acquire", acquireBody(w, "/sh/table", "exclusive", 20_000, -1));
        cell.awaitWaiting(w, "/sh/table");
        assertThat(cell.release(r1, "/sh/table").status()).isEqualTo(200);
        Thread.sleep(200);
        assertThat(writer).as("one shared holder is still there").isNotDone();
        assertThat(cell.release(r2, "/sh/table").status()).isEqualTo(200);
        assertThat(token(writer.get(5, TimeUnit.SECONDS))).isPositive();
        assertThat(cell.lock("/sh/table").get("holders").get(0).get("mode").asText()).isEqualTo("exclusive");
    }

    @Test
    void waitersAreGrantedInFifoOrder() throws Exception {
        long holder = cell.session("holder");
        long[] waiters = {cell.session("w1"), cell.session("w2"), cell.session("w3")};
        token(cell.acquire(holder, "/fifo/x", "exclusive", 0));
        List<CompletableFuture<Reply>> pending = new java.util.ArrayList<>();
        for (long s : waiters) {
            pending.add(cell.postAsync("/v1/locks/acquire", acquireBody(s, "/fifo/x", "exclusive", 20_000, -1)));
            cell.awaitWaiting(s, "/fifo/x");
        }
        JsonNode queue = cell.lock("/fifo/x").get("waiters");
        for (int i = 0; i < 3; i++) {
            assertThat(queue.get(i).get("session").asLong()).isEqualTo(waiters[i]);
            assertThat(queue.get(i).get("position").asInt()).isEqualTo(i + 1);
            assertThat(queue.get(i).get("waitLeftMillis").asLong()).isBetween(1L, 20_000L);
        }
        long previous = holder;
        long lastToken = 0;
        for (int i = 0; i < 3; i++) {
            assertThat(cell.release(previous, "/fifo/x").status()).isEqualTo(200);
            long t = token(pending.get(i).get(5, TimeUnit.SECONDS));
            assertThat(t).isGreaterThan(lastToken);
            for (int j = i + 1; j < 3; j++) assertThat(pending.get(j)).as("waiter %d still waits", j + 1).isNotDone();
            lastToken = t;
            previous = waiters[i];
        }
    }

    /** Chubby §2.6: lock-delay is for holders that fail, not for a clean release (here: closing the session). */
    @Test
    void closingTheHoldersSessionReleasesWithNoLockDelay() throws Exception {
        long a = cell.session("a");
        long b = cell.session("b");
        token(cell.post("/v1/locks/acquire", acquireBody(a, "/close/x", "exclusive", 0, 30_000)));
        CompletableFuture<Reply> waiting = cell.postAsync("/v1/locks/acquire", acquireBody(b, "/close/x", "exclusive", 20_000, -1));
        cell.awaitWaiting(b, "/close/x");
        long closed = System.nanoTime();
        assertThat(cell.send("DELETE", "/v1/sessions/" + a, null).status()).isEqualTo(200);
        token(waiting.get(5, TimeUnit.SECONDS));
        assertThat((System.nanoTime() - closed) / 1_000_000).as("granted with no 30 s lock-delay").isLessThan(2_000);
    }

    @Test
    void breakingALockAppliesItsLockDelayBeforeTheNextGrant() throws Exception {
        long a = cell.session("a");
        long b = cell.session("b");
        long first = token(cell.post("/v1/locks/acquire", acquireBody(a, "/break/x", "exclusive", 0, 800)));
        CompletableFuture<Reply> waiting = cell.postAsync("/v1/locks/acquire", acquireBody(b, "/break/x", "exclusive", 20_000, -1));
        cell.awaitWaiting(b, "/break/x");
        long broken = System.nanoTime();
        Reply r = cell.post("/v1/locks/break", "{\"lock\": \"/break/x\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode after = cell.lock("/break/x");
        assertThat(after.get("holders")).isEmpty();
        assertThat(after.get("lockDelayLeftMillis").asLong()).isBetween(1L, 800L);
        assertThat(cell.post("/v1/sequencers/check", sequencer("/break/x", "exclusive", a, first)).body().get("valid").asBoolean())
            .as("the broken holder is fenced").isFalse();
        long second = token(waiting.get(5, TimeUnit.SECONDS));
        assertThat((System.nanoTime() - broken) / 1_000_000).as("not before the lock-delay ends").isGreaterThanOrEqualTo(800);
        assertThat(second).isGreaterThan(first);
        assertThat(cell.post("/v1/locks/break", "{\"lock\": \"/break/nobody\"}").problem()).isEqualTo("not-held");
    }

    @Test
    void aSequencerIsValidWhileItsGrantHolds() {
        long a = cell.session("a");
        long t = token(cell.acquire(a, "/seq/x", "exclusive", 0));
        assertThat(check("/seq/x", "exclusive", a, t)).isTrue();
        assertThat(check("/seq/x", "shared", a, t)).as("wrong mode").isFalse();
        assertThat(check("/seq/x", "exclusive", a, t + 1000)).as("wrong token").isFalse();
        assertThat(cell.release(a, "/seq/x").status()).isEqualTo(200);
        assertThat(check("/seq/x", "exclusive", a, t)).as("released").isFalse();
        long again = token(cell.acquire(a, "/seq/x", "exclusive", 0));
        assertThat(again).isGreaterThan(t);
        assertThat(check("/seq/x", "exclusive", a, t)).as("an older grant to the same session").isFalse();
    }

    @Test
    void onlyTheExclusiveHolderSetsTheValue() {
        long a = cell.session("a");
        long b = cell.session("b");
        token(cell.acquire(a, "/val/shared", "shared", 0));
        assertThat(setValue(a, "/val/shared", "x").problem()).isEqualTo("not-holder");
        token(cell.acquire(a, "/val/x", "exclusive", 0));
        assertThat(setValue(b, "/val/x", "mine").problem()).isEqualTo("not-holder");
        Reply ok = setValue(a, "/val/x", "host-a:8080");
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        assertThat(cell.lock("/val/x").get("value").asText()).isEqualTo("host-a:8080");
        assertThat(cell.release(a, "/val/x").status()).isEqualTo(200);
        assertThat(cell.get("/v1/locks/val/x").problem()).as("the value goes with the last holder").isEqualTo("no-such-lock");
    }

    /** A retry with the same request id gets the first outcome: the same grant, not a second one. */
    @Test
    void aRetriedAcquireGetsTheSameToken() throws Exception {
        long a = cell.session("a");
        long b = cell.session("b");
        String[] id = {"Warden-Client-Id", "777001", "Warden-Request-Seq", "1"};
        long first = token(cell.post("/v1/locks/acquire", acquireBody(a, "/retry/x", "exclusive", 0, -1), id));
        long again = token(cell.post("/v1/locks/acquire", acquireBody(a, "/retry/x", "exclusive", 0, -1), id));
        assertThat(again).isEqualTo(first);

        // A waiting acquire retried while it waits, and after its grant: one grant, one token.
        String[] waitId = {"Warden-Client-Id", "777002", "Warden-Request-Seq", "1"};
        String body = acquireBody(b, "/retry/x", "exclusive", 20_000, -1);
        CompletableFuture<Reply> waiting = cell.postAsync("/v1/locks/acquire", body, waitId);
        cell.awaitWaiting(b, "/retry/x");
        CompletableFuture<Reply> retried = cell.postAsync("/v1/locks/acquire", body, waitId);
        Thread.sleep(100);
        assertThat(cell.release(a, "/retry/x").status()).isEqualTo(200);
        long granted = token(waiting.get(5, TimeUnit.SECONDS));
        assertThat(token(retried.get(5, TimeUnit.SECONDS))).isEqualTo(granted);
        assertThat(token(cell.post("/v1/locks/acquire", body, waitId))).isEqualTo(granted);
        assertThat(cell.lock("/retry/x").get("holders")).hasSize(1);
    }

    /**
     * A session that stops sending KeepAlives expires after its timeout; its lock then stays
     * unavailable for its lock-delay (Chubby §2.6), and only then passes to the next waiter.
     */
    @Test
    void anExpiredSessionsLockPassesOnOnlyAfterTimeoutPlusLockDelay() throws Exception {
        Reply created = cell.post("/v1/sessions", "{\"timeoutMillis\": 1000, \"client\": \"doomed\"}");
        long doomed = created.asLong("session");
        assertThat(created.asLong("timeoutMillis")).isEqualTo(1000);
        long b = cell.session("b");
        long first = token(cell.post("/v1/locks/acquire", acquireBody(doomed, "/exp/x", "exclusive", 0, 500)));
        long lastKeepAlive = System.nanoTime();
        assertThat(cell.post("/v1/sessions/" + doomed + "/keepalive", null).status()).isEqualTo(200);

        CompletableFuture<Reply> waiting = cell.postAsync("/v1/locks/acquire", acquireBody(b, "/exp/x", "exclusive", 20_000, -1));
        Reply granted = waiting.get(10, TimeUnit.SECONDS);
        long afterMillis = (System.nanoTime() - lastKeepAlive) / 1_000_000;
        assertThat(token(granted)).isGreaterThan(first);
        assertThat(afterMillis).as("timeout 1000 + lock-delay 500").isGreaterThanOrEqualTo(1_500).isLessThan(5_000);

        Reply gone = cell.post("/v1/sessions/" + doomed + "/keepalive", null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.problem()).isEqualTo("session-expired");
        assertThat(cell.acquire(doomed, "/exp/y", "exclusive", 0).problem()).isEqualTo("no-such-session");
        JsonNode events = cell.get("/v1/events?from=1&prefix=/exp/&waitMillis=0").body().get("events");
        assertThat(events.findValuesAsText("type")).containsSubsequence("lock.acquired", "lock.expired", "lock.acquired");
    }

    @Test
    void inspectionShowsHoldersWaitersAndListings() throws Exception {
        long a = cell.session("inspector-a");
        long b = cell.session("inspector-b");
        token(cell.acquire(a, "/ins/one", "exclusive", 0));
        token(cell.acquire(a, "/ins/two", "shared", 0));
        CompletableFuture<Reply> waiting = cell.postAsync("/v1/locks/acquire", acquireBody(b, "/ins/one", "exclusive", 20_000, -1));
        cell.awaitWaiting(b, "/ins/one");

        JsonNode one = cell.lock("/ins/one");
        assertThat(one.get("holders").get(0).get("client").asText()).isEqualTo("inspector-a");
        assertThat(one.get("holders").get(0).get("acquiredAt").asText()).endsWith("Z");
        assertThat(one.get("waiters").get(0).get("client").asText()).isEqualTo("inspector-b");

        Reply list = cell.get("/v1/locks?prefix=/ins/");
        assertThat(list.body().get("locks").findValuesAsText("lock")).containsExactly("/ins/one", "/ins/two");
        assertThat(list.body().get("truncated").asBoolean()).isFalse();
        assertThat(list.asLong("index")).isPositive();
        Reply first = cell.get("/v1/locks?prefix=/ins/&max=1");
        assertThat(first.body().get("locks")).hasSize(1);
        assertThat(first.body().get("truncated").asBoolean()).isTrue();

        JsonNode session = cell.get("/v1/sessions/" + b).body();
        assertThat(session.get("waits").get(0).get("lock").asText()).isEqualTo("/ins/one");
        assertThat(cell.get("/v1/sessions/" + a).body().get("holds").findValuesAsText("lock")).containsExactly("/ins/one", "/ins/two");

        assertThat(cell.send("DELETE", "/v1/sessions/" + a, null).status()).isEqualTo(200);
        token(waiting.get(5, TimeUnit.SECONDS));
        assertThat(cell.get("/v1/locks/ins/two").problem()).isEqualTo("no-such-lock");
    }

    private static boolean check(String lock, String mode, long session, long token) {
        Reply r = cell.post("/v1/sequencers/check", sequencer(lock, mode, session, token));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body().get("valid").asBoolean();
    }

    private static String sequencer(String lock, String mode, long session, long token) {
        return "{\"lock\": \"" + lock + "\", \"mode\": \"" + mode + "\", \"session\": " + session + ", \"token\": " + token + "}";
    }

    private static Reply setValue(long session, String lock, String value) {
        return cell.post("/v1/locks/value", "{\"lock\": \"" + lock + "\", \"session\": " + session + ", \"value\": \"" + value + "\"}");
    }
}
