package io.warden.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.Groups;
import io.warden.client.FencedResource;
import io.warden.client.Grant;
import io.warden.client.LeaderElection;
import io.warden.client.Membership;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The examples of docs/client.md, compiled and run against a real cell. Each example's code sits
 * between {@code // example: NAME} and {@code // end example} below and is copied verbatim into
 * the document; {@link #theDocumentShowsExactlyThisCode} fails if the two drift apart.
 */
@Timeout(120)
class ClientExamplesTest {
    private static LocalCell cell;
    private static String[] endpoints;

    @BeforeAll
    static void startCell() throws Exception {
        cell = LocalCell.create("client-examples", 3, LocalCell.Timings.fast());
        cell.startAll();
        cell.awaitMaster(Duration.ofSeconds(60));
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= cell.size(); i++) urls.add(cell.url(i));
        endpoints = urls.toArray(String[]::new);
    }

    @AfterAll
    static void stopCell() {
        if (cell != null) cell.close();
    }

    /** Stands in for a storage service that checks fencing tokens. */
    static final class Ledger {
        final FencedResource fence = new FencedResource();
        final List<String> rows = new CopyOnWriteArrayList<>();

        void append(io.warden.api.Sequencer sequencer, String row) {
            if (!fence.admit(sequencer)) throw new IllegalStateException("stale fencing token " + sequencer.token());
            rows.add(row);
        }
    }

    @Test
    void lockWithFencing() throws Exception {
        Ledger ledger = new Ledger();
        // example: lock
        try (WardenClient client = WardenClient.builder().endpoints(endpoints).build();
             Session session = client.newSession(Duration.ofSeconds(12), "billing-worker");
             Grant grant = session.lock("/billing/ledger").acquire()) {
            grant.checkValid();                              // throws LockLostException once the lock is lost
            ledger.append(grant.sequencer(), "invoice 42");  // the ledger refuses tokens older than it has seen
        }
        // end example
        assertThat(ledger.rows).containsExactly("invoice 42");
    }

    @Test
    void workThatStopsWhenTheLockIsLost() throws Exception {
        try (WardenClient client = WardenClient.builder().endpoints(endpoints).build();
             Session session = client.newSession(Duration.ofSeconds(12), "reindexer")) {
            // example: runWhileHeld
            try (Grant grant = session.lock("/search/reindex").acquire()) {
                int pages = grant.runWhileHeld(() -> {
                    int done = 0;
                    while (done < 100 && !Thread.currentThread().isInterrupted()) done++;  // interrupted if the lock is lost
                    return done;
                });
                System.out.println("reindexed " + pages + " pages under token " + grant.token());
            }
            // end example
        }
    }

    @Test
    void leaderElection() throws Exception {
        try (WardenClient client = WardenClient.builder().endpoints(endpoints).build();
             Session session = client.newSession(Duration.ofSeconds(12), "scheduler-1")) {
            // example: election
            LeaderElection election = session.election("/services/scheduler");
            Grant leadership = election.campaign("10.0.0.5:8080");  // blocks until this process leads
            leadership.onLost(() -> System.out.println("no longer leader: stop scheduling now"));
            System.out.println("leader: " + election.leader().orElseThrow().value()
                + ", token " + leadership.token());
            election.resign();
            // end example
            assertThat(election.leader()).isEmpty();
        }
    }

    @Test
    void membership() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (WardenClient client = WardenClient.builder().endpoints(endpoints).build();
             Session session = client.newSession(Duration.ofSeconds(12), "api-host-a")) {
            Session other = client.newSession(Duration.ofSeconds(12), "api-host-b");
            // example: membership
            Membership api = session.group("/services/api");
            api.join("host-a", "10.0.0.1:8080");
            Groups.Listing now = api.members();                  // as of event now.index()
            AutoCloseable watch = api.watch(now.index(),
                change -> seen.add((change.joined() ? "joined " : "left ") + change.member()),
                resync -> System.out.println("history compacted; members now: " + resync.members()));
            // end example
            other.group("/services/api").join("host-b", "10.0.0.2:8080");
            other.close(); // its members vanish with its session
            LocalCell.await(() -> "watch saw both changes: " + seen, Duration.ofSeconds(10), () -> seen.size() >= 2);
            watch.close(); // a watch is AutoCloseable; here it lives past the example's block
            assertThat(seen).containsExactly("joined host-b", "left host-b");
            assertThat(api.members().members()).extracting(Groups.Member::member).containsExactly("host-a");
        }
    }

    @Test
    void theDocumentShowsExactlyThisCode() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        String doc = Files.readString(root.resolve("docs/client.md"));
        String test = Files.readString(root.resolve("server/src/test/java/io/warden/server/it/ClientExamplesTest.java"));
        Matcher m = Pattern.compile("// example: (\\w+)\\n(.*?)\\n\\s*// end example", Pattern.DOTALL).matcher(test);
        int examples = 0;
        while (m.find()) {
            examples++;
            for (String line : m.group(2).split("\\n")) {
                assertThat(doc).as("docs/client.md shows the '%s' example's line", m.group(1)).contains(line.strip());
            }
        }
        assertThat(examples).isEqualTo(4);
    }
}
