package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.api.Event;
import io.warden.api.Groups;
import io.warden.api.Locks;
import io.warden.api.Sessions;
import io.warden.client.Grant;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reading commands, and break, run in-process against a real local cell. The state they show is
 * made with client-lib directly, so each test knows exactly what the CLI must print.
 */
@ExtendWith(LocalCell.Shared.class)
class CellCommandsTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static LocalCell cell;
    private static WardenClient client;

    @BeforeAll
    static void connect(LocalCell shared) {
        cell = shared;
        client = WardenClient.builder().endpoints(cell.endpoints.split(",")).build();
    }

    @AfterAll
    static void close() {
        if (client != null) client.close();
    }

    private static Cli.Result warden(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoints", cell.endpoints));
        return Cli.run(all.toArray(String[]::new));
    }

    private static Cli.Running wardenInBackground(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoints", cell.endpoints));
        return new Cli.Running(all.toArray(String[]::new));
    }

    @Test
    void statusShowsEveryReplicaAndTheMaster() throws Exception {
        Cli.Result r = warden("status");
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> rows = r.out().lines().filter(l -> l.contains("http://127.0.0.1:")).toList();
        assertThat(rows).as(r.out()).hasSize(4); // the heading line names the master, then one row per replica
        assertThat(rows.subList(1, 4)).as(r.out()).allMatch(l -> l.contains(" yes "));
        assertThat(rows.subList(1, 4)).as(r.out()).filteredOn(l -> l.contains(" master ")).hasSize(1);

        JsonNode json = CommonOptions.JSON.readTree(warden("status", "-o", "json").out());
        assertThat(json.path("master").path("url").asText()).startsWith("http://127.0.0.1:");
        assertThat(json.path("replicas")).hasSize(3).allMatch(n -> n.path("reachable").asBoolean());
    }

    @Test
    void statusFindsTheWholeCellFromOneEndpoint() {
        String one = cell.endpoints.split(",")[0];
        Cli.Result r = Cli.run("status", "--endpoints", one);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out().lines().filter(l -> l.matches("^\\d+\\s+http.*"))).as(r.out()).hasSize(3);
    }

    @Test
    void locksShowListsTheHolderAndTheWaitersInOrder() throws Exception {
        try (Session holder = client.newSession(Duration.ofSeconds(10), "test-holder");
             Session waiter = client.newSession(Duration.ofSeconds(10), "test-waiter")) {
            Grant g = holder.lock("/show/x").acquire(Duration.ofSeconds(5)).orElseThrow();
            CompletableFuture<Optional<Grant>> waiting = waiter.lock("/show/x").acquireAsync(Duration.ofSeconds(20));
            Cli.await("a waiter on /show/x", BOUND, () -> client.inspect("/show/x").map(v -> v.waiters().size() == 1).orElse(false));

            Cli.Result r = warden("locks", "show", "show/x");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).contains("lock        /show/x")
                .containsPattern("(?m)^  " + holder.id() + "\\s+anonymous\\s+test-holder\\s+exclusive\\s+" + g.token() + "\\s")
                .contains("waiters (in grant order):")
                .containsPattern("(?m)^  1\\s+" + waiter.id() + "\\s+anonymous\\s+test-waiter\\s+exclusive\\s");

            Locks.View json = CommonOptions.JSON.readValue(warden("locks", "show", "/show/x", "-o", "json").out(), Locks.View.class);
            assertThat(json.holders()).extracting(Locks.Holder::session, Locks.Holder::token).containsExactly(
                org.assertj.core.groups.Tuple.tuple(holder.id(), g.token()));
            assertThat(json.waiters()).extracting(Locks.Waiter::session).containsExactly(waiter.id());

            g.release();
            assertThat(waiting.get(BOUND.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isPresent();
        }
    }

    @Test
    void anUnknownLockOrSessionExits5() {
        Cli.Result lock = warden("locks", "show", "/nobody/here");
        assertThat(lock.code()).as(lock.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(lock.err()).startsWith("warden: no such lock /nobody/here");
        Cli.Result session = warden("sessions", "show", "987654321");
        assertThat(session.code()).as(session.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(session.err()).startsWith("warden: no such session 987654321");
    }

    @Test
    void locksLsListsOnlyThePrefix() throws Exception {
        try (Session s = client.newSession(Duration.ofSeconds(10), "test-ls")) {
            Grant a = s.lock("/ls/a").acquire(Duration.ofSeconds(5)).orElseThrow();
            s.lock("/ls/b").shared().acquire(Duration.ofSeconds(5)).orElseThrow();
            s.lock("/elsewhere/c").acquire(Duration.ofSeconds(5)).orElseThrow();

            Cli.Result r = warden("locks", "ls", "/ls/");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).containsPattern("(?m)^/ls/a\\s+exclusive\\s+" + s.id() + "\\s+" + a.token() + "\\s")
                .containsPattern("(?m)^/ls/b\\s+shared\\s").doesNotContain("/elsewhere/c");

            Locks.Listing json = CommonOptions.JSON.readValue(warden("locks", "ls", "/ls/", "-o", "json").out(), Locks.Listing.class);
            assertThat(json.locks()).extracting(Locks.View::lock).containsExactly("/ls/a", "/ls/b");
        }
    }

    @Test
    void locksBreakTakesTheLockAndLockDelayFollows() throws Exception {
        try (Session s = client.newSession(Duration.ofSeconds(10), "test-break")) {
            s.lock("/brk/x").withLockDelay(Duration.ofSeconds(30)).acquire(Duration.ofSeconds(5)).orElseThrow();
            Cli.Result r = warden("locks", "break", "/brk/x");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).isEqualTo("broke /brk/x\n");
            Locks.View after = client.inspect("/brk/x").orElseThrow();
            assertThat(after.holders()).isEmpty();
            assertThat(after.lockDelayLeftMillis()).isPositive();
            assertThat(warden("locks", "show", "/brk/x").out()).contains("holders: none").containsPattern("lock-delay  \\S+ left");
        }
        assertThat(warden("locks", "break", "/brk/never-held").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void sessionsLsAndShowSayWhatEachSessionHolds() throws Exception {
        try (Session s = client.newSession(Duration.ofSeconds(10), "test-sessions")) {
            Grant g = s.lock("/sess/x").acquire(Duration.ofSeconds(5)).orElseThrow();
            s.group("/sess/g").join("m1", null);

            Cli.Result ls = warden("sessions", "ls");
            assertThat(ls.code()).as(ls.toString()).isZero();
            assertThat(ls.out()).containsPattern("(?m)^" + s.id() + "\\s+anonymous\\s+test-sessions\\s+10s\\s+\\S+\\s+/sess/x#" + g.token() + "\\s+-\\s+/sess/g:m1$");

            Cli.Result show = warden("sessions", "show", Long.toString(s.id()));
            assertThat(show.code()).as(show.toString()).isZero();
            assertThat(show.out()).contains("client     test-sessions").containsPattern("(?m)^  /sess/x\\s+exclusive\\s+" + g.token() + "$")
                .containsPattern("(?m)^  /sess/g\\s+m1$");

            Sessions.Detail json = CommonOptions.JSON.readValue(warden("sessions", "show", Long.toString(s.id()), "-o", "json").out(),
                Sessions.Detail.class);
            assertThat(json.holds()).extracting(Sessions.Hold::lock).containsExactly("/sess/x");
        }
    }

    @Test
    void membersLsShowsTheGroup() throws Exception {
        try (Session s = client.newSession(Duration.ofSeconds(10), "test-members")) {
            s.group("/grp/api").join("web-1", "10.0.0.5:8080");
            Cli.Result r = warden("members", "ls", "grp/api");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).containsPattern("(?m)^web-1\\s+" + s.id() + "\\s+10.0.0.5:8080\\s+\\d{4}-");
            Groups.Listing json = CommonOptions.JSON.readValue(warden("members", "ls", "/grp/api", "-o", "json").out(), Groups.Listing.class);
            assertThat(json.members()).extracting(Groups.Member::member).containsExactly("web-1");
        }
        assertThat(warden("members", "ls", "/grp/api").out()).isEqualTo("no members in /grp/api\n");
    }

    @Test
    void watchPrintsEventsFromAnIndex() throws Exception {
        try (Session s = client.newSession(Duration.ofSeconds(10), "test-watch")) {
            s.lock("/watch/a/x").acquire(Duration.ofSeconds(5)).orElseThrow().release();
        }
        Cli.Result r = warden("watch", "/watch/a/", "--from", "1", "--count", "2");
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d+  \\S+  lock\\.acquired +/watch/a/x  session=\\d+  token=\\d+  mode=exclusive");
        assertThat(lines.get(1)).contains("lock.released").contains("/watch/a/x");

        Cli.Result json = warden("watch", "/watch/a/", "--from", "1", "--count", "1", "-o", "json");
        Event e = CommonOptions.JSON.readValue(json.out().strip(), Event.class);
        assertThat(e.type()).isEqualTo("lock.acquired");
        assertThat(e.lock()).isEqualTo("/watch/a/x");
    }

    @Test
    void watchFromNowPrintsWhatHappensNextUntilInterrupted() throws Exception {
        Cli.Running watch = wardenInBackground("watch", "/watch/b/");
        try (Session s = client.newSession(Duration.ofSeconds(10), "test-watch-now")) {
            // The watch picks its start index once it is up: make events until it has printed one.
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (!(watch.out().contains("lock.acquired") && watch.out().contains("lock.released")) && System.nanoTime() < deadline) {
                s.lock("/watch/b/x").acquire(Duration.ofSeconds(5)).orElseThrow().release();
                Thread.sleep(200);
            }
        }
        watch.interrupt();
        Cli.Result r = watch.result(BOUND);
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(r.out()).contains("lock.acquired").contains("lock.released").contains("/watch/b/x");
        List<Long> indexes = r.out().lines().map(l -> Long.parseLong(l.split(" ")[0])).toList();
        assertThat(indexes).as("in index order").isSorted().doesNotHaveDuplicates();
    }

    @Test
    void electObservePrintsLeaderChanges() throws Exception {
        Cli.Running observe = wardenInBackground("elect", "/obs/leader", "--observe");
        Cli.await("the first line", BOUND, () -> observe.out().contains("no leader"));
        try (Session s = client.newSession(Duration.ofSeconds(10), "test-leader")) {
            Grant g = s.election("/obs/leader").campaign("alpha");
            Cli.await("the leader line", BOUND, () -> observe.out().contains("value=alpha"));
            assertThat(observe.out()).containsPattern("leader  session=" + s.id() + " token=" + g.token() + " value=alpha");
        }
        Cli.await("the leader to go", BOUND, () -> observe.out().strip().endsWith("no leader"));
        observe.interrupt();
        assertThat(observe.result(BOUND).code()).isEqualTo(ExitCodes.INTERRUPTED);
    }
}
