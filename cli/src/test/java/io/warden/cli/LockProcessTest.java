package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.Locks;
import io.warden.client.WardenClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warden lock}, {@code elect} and {@code members join} as real processes with real children
 * against a real local cell: the token in the child's environment, exit codes passed through,
 * "not acquired in time" (3), a child stopped when its lock is lost (4) and when warden itself is
 * terminated (143). Only processes started here are signalled, by PID; every wait is bounded.
 */
@ExtendWith(LocalCell.Shared.class)
class LockProcessTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** A child that says when it got SIGTERM, then exits 0; it polls so the trap runs at once. */
    /** Writes MARKER on SIGTERM; MARKER.ready says the trap is set (the command runs only once the lock is held). */
    private static final String TRAPS_TERM = "trap 'echo term > \"$MARKER\"; exit 0' TERM; : > \"$MARKER.ready\"; while :; do sleep 0.1; done";

    private static LocalCell cell;
    private static WardenClient client;

    @TempDir
    Path dir;

    private final List<Cli.Proc> started = new ArrayList<>();

    @BeforeAll
    static void connect(LocalCell shared) {
        cell = shared;
        client = WardenClient.builder().endpoints(cell.endpoints.split(",")).build();
    }

    @AfterAll
    static void close() {
        if (client != null) client.close();
    }

    @AfterEach
    void stopWhatThisTestStarted() throws Exception {
        for (Cli.Proc p : started) p.ensureStopped();
    }

    private Cli.Proc warden(String... args) throws Exception {
        Cli.Proc p = Cli.start(dir, cell.endpoints, args);
        started.add(p);
        return p;
    }

    private String marker(String name) {
        return dir.resolve(name).toString();
    }

    private static Optional<Locks.View> lock(String name) {
        return client.inspect(name);
    }

    /**
     * Until {@code name} is held and the command it guards has set its TERM trap: a holder seen at
     * the cell alone is not enough, as warden starts the command only after the grant reaches it
     * (a test that stops or breaks the lock in between finds no command to stop, and no marker).
     */
    private void awaitRunning(String name, String markerName) throws InterruptedException {
        Path ready = Path.of(marker(markerName) + ".ready");
        Cli.await(name + " to be held and its command to trap TERM", BOUND,
            () -> Files.exists(ready) && lock(name).map(v -> !v.holders().isEmpty()).orElse(false));
    }

    @Test
    void lockRunsTheCommandWithItsTokenAndReleasesWhenItExits() throws Exception {
        Cli.Proc p = warden("lock", "/proc/a", "--", "sh", "-c",
            "echo \"token=$WARDEN_LOCK_TOKEN name=$WARDEN_LOCK_NAME mode=$WARDEN_LOCK_MODE session=$WARDEN_SESSION\"; exit 7");
        assertThat(p.exitCode(BOUND)).as(p.output()).isEqualTo(7);
        assertThat(p.stdout()).matches("token=\\d+ name=/proc/a mode=exclusive session=\\d+\\n");
        assertThat(lock("/proc/a").map(Locks.View::holders).orElse(List.of())).as("released, no lock-delay").isEmpty();
        assertThat(lock("/proc/a").map(Locks.View::lockDelayLeftMillis).orElse(0L)).isZero();
    }

    @Test
    void aSecondLockTimesOutWhileTheFirstHoldsAndWaitersQueueInOrder() throws Exception {
        Cli.Proc holder = warden("lock", "/proc/b", "--", "env", "MARKER=" + marker("holder-term"), "sh", "-c", TRAPS_TERM);
        awaitRunning("/proc/b", "holder-term");
        long holderSession = lock("/proc/b").orElseThrow().holders().get(0).session();

        Cli.Proc impatient = warden("lock", "/proc/b", "--timeout", "1s", "--", "echo", "must not run");
        assertThat(impatient.exitCode(BOUND)).as(impatient.output()).isEqualTo(ExitCodes.NOT_ACQUIRED);
        assertThat(impatient.stdout()).isEmpty();
        assertThat(impatient.stderr()).contains("warden: /proc/b not acquired within 1s; held by session " + holderSession);

        Cli.Proc waiter = warden("lock", "/proc/b", "--timeout", "30s", "--", "sh", "-c", "echo waiter-ran token=$WARDEN_LOCK_TOKEN");
        Cli.await("a waiter on /proc/b", BOUND, () -> lock("/proc/b").map(v -> v.waiters().size() == 1).orElse(false));
        Cli.Result show = Cli.run("locks", "show", "/proc/b", "--endpoints", cell.endpoints);
        assertThat(show.out()).as(show.toString())
            .containsPattern("(?m)^  " + holderSession + "\\s+anonymous\\s+warden lock /proc/b \\(.* pid " + holder.pid() + "\\)\\s+exclusive\\s")
            .containsPattern("(?m)^  1\\s+\\d+\\s+anonymous\\s+warden lock /proc/b \\(.* pid " + waiter.pid() + "\\)\\s+exclusive\\s");
        long holderToken = lock("/proc/b").orElseThrow().holders().get(0).token();

        holder.signal("TERM"); // warden itself is stopped: it stops its child and gives the lock back
        assertThat(holder.exitCode(BOUND)).as(holder.output()).isEqualTo(ExitCodes.TERMINATED);
        assertThat(Files.readString(Path.of(marker("holder-term")))).isEqualTo("term\n");
        assertThat(waiter.exitCode(BOUND)).as(waiter.output()).isZero();
        long waiterToken = Long.parseLong(waiter.stdout().strip().replaceAll(".*token=", ""));
        assertThat(waiterToken).as("fencing tokens increase").isGreaterThan(holderToken);
    }

    @Test
    void aCommandThatOutlivesItsLockIsStopped() throws Exception {
        // warden pauses (SIGSTOP: a GC pause, a frozen VM) past its 2 s session; its child runs on.
        Cli.Proc p = warden("lock", "/proc/c", "--session-ttl", "2s", "--kill-grace", "2s", "--",
            "env", "MARKER=" + marker("c-term"), "sh", "-c", TRAPS_TERM);
        awaitRunning("/proc/c", "c-term");
        p.signal("STOP");
        try {
            Cli.await("the cell to expire the paused session", BOUND,
                () -> lock("/proc/c").map(v -> v.holders().isEmpty()).orElse(true));
            assertThat(Path.of(marker("c-term"))).as("the child ran on while warden was paused").doesNotExist();
        } finally {
            p.signal("CONT");
        }
        assertThat(p.exitCode(BOUND)).as(p.output()).isEqualTo(ExitCodes.LOCK_LOST);
        assertThat(Files.readString(Path.of(marker("c-term")))).isEqualTo("term\n");
        assertThat(p.stderr()).contains("warden: lost /proc/c (token ").contains("stopping the command");
    }

    @Test
    void aBrokenLockStopsTheCommand() throws Exception {
        Cli.Proc p = warden("lock", "/proc/d", "--session-ttl", "3s", "--", "env", "MARKER=" + marker("d-term"), "sh", "-c", TRAPS_TERM);
        awaitRunning("/proc/d", "d-term");
        Cli.Result broke = Cli.run("locks", "break", "/proc/d", "--endpoints", cell.endpoints);
        assertThat(broke.code()).as(broke.toString()).isZero();
        // The session lives on; its next KeepAlive (every ttl/3) no longer lists the grant.
        assertThat(p.exitCode(BOUND)).as(p.output()).isEqualTo(ExitCodes.LOCK_LOST);
        assertThat(Files.readString(Path.of(marker("d-term")))).isEqualTo("term\n");
        assertThat(p.stderr()).contains("warden: lost /proc/d").contains("no longer lists this grant");
    }

    @Test
    void membersJoinIsAMemberWhileTheCommandRuns() throws Exception {
        Path done = dir.resolve("done");
        Cli.Proc p = warden("members", "join", "/proc/group", "web-1", "--payload", "10.0.0.5:8080", "--",
            "sh", "-c", "while [ ! -f '" + done + "' ]; do sleep 0.1; done; echo \"$WARDEN_MEMBER in $WARDEN_GROUP\"; exit 3");
        Cli.await("web-1 to join", BOUND,
            () -> Cli.run("members", "ls", "/proc/group", "--endpoints", cell.endpoints).out().contains("web-1"));
        Files.createFile(done);
        assertThat(p.exitCode(BOUND)).as(p.output()).isEqualTo(3);
        assertThat(p.stdout()).isEqualTo("web-1 in /proc/group\n");
        assertThat(Cli.run("members", "ls", "/proc/group", "--endpoints", cell.endpoints).out()).isEqualTo("no members in /proc/group\n");
    }

    @Test
    void electRunsTheCommandOnlyWhileLeading() throws Exception {
        Path alphaDone = dir.resolve("alpha-done");
        Cli.Proc alpha = warden("elect", "/proc/leader", "--value", "alpha", "--",
            "sh", "-c", "echo \"leading as $WARDEN_LEADER_VALUE\"; while [ ! -f '" + alphaDone + "' ]; do sleep 0.1; done");
        Cli.await("alpha to lead", BOUND, () -> lock("/proc/leader").map(v -> "alpha".equals(v.value())).orElse(false));
        Cli.Proc beta = warden("elect", "/proc/leader", "--value", "beta", "--", "sh", "-c", "echo \"leading as $WARDEN_LEADER_VALUE\"");
        Cli.await("beta to campaign", BOUND, () -> lock("/proc/leader").map(v -> v.waiters().size() == 1).orElse(false));
        assertThat(beta.stdout()).as("beta does not run before it leads").isEmpty();

        Files.createFile(alphaDone);
        assertThat(alpha.exitCode(BOUND)).as(alpha.output()).isZero();
        assertThat(alpha.stdout()).isEqualTo("leading as alpha\n");
        assertThat(beta.exitCode(BOUND)).as(beta.output()).isZero();
        assertThat(beta.stdout()).isEqualTo("leading as beta\n");
    }
}
