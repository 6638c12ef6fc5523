package io.warden.cli;

import io.warden.api.Locks;
import io.warden.client.Grant;
import io.warden.client.LockHandle;
import io.warden.client.LockLostException;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code warden lock NAME -- COMMAND...}: opens a session, waits for the lock, runs the command
 * while it holds it, releases it when the command ends and exits with the command's code. If the
 * lock is lost first (the session fell into jeopardy or expired, or an administrator broke the
 * lock) the command is stopped and warden exits 4; if the lock is not granted within
 * {@code --timeout}, it exits 3 without running anything.
 */
@Command(name = "lock", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = {"Hold a lock while a command runs; stop the command if the lock is lost.",
        "The command gets WARDEN_LOCK_NAME, WARDEN_LOCK_TOKEN (the fencing token: hand it to what you write to), "
            + "WARDEN_LOCK_MODE, WARDEN_SESSION and WARDEN_ENDPOINTS in its environment."},
    footerHeading = "%nExamples:%n",
    footer = {"  warden lock /jobs/nightly -- ./nightly.sh",
        "  warden lock /jobs/nightly --timeout 0 -- ./nightly.sh   # if held: exit 3",
        "  warden lock /db/schema --session-ttl 5s --kill-grace 10s -- ./migrate.sh"})
final class LockCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    HoldOptions hold;

    @Parameters(index = "0", paramLabel = "NAME", description = "The lock, like /jobs/nightly.")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "-- COMMAND", description = "What to run while holding the lock, after --.")
    List<String> command;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
        description = "Give up (exit 3) if the lock is not granted within this long; 0 tries once (default: wait forever).")
    Duration timeout;

    @Option(names = "--shared", description = "Take the lock in shared (reader) mode; default exclusive.")
    boolean shared;

    @Option(names = "--lock-delay", paramLabel = "DURATION", converter = Durations.class,
        description = "If this holder dies, nobody gets the lock for this long (default: the cell's, 10s).")
    Duration lockDelay;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String lock = CommonOptions.path(name);
        try (Lifetime lifetime = new Lifetime()) {
            WardenClient client = common.connect();
            lifetime.onEnd(client::close);
            Session session = hold.openSession(client, "lock " + lock);
            lifetime.onEnd(session::close);
            LockHandle handle = session.lock(lock);
            if (shared) handle = handle.shared();
            if (lockDelay != null) handle = handle.withLockDelay(lockDelay);
            Optional<Grant> acquired = timeout == null ? Optional.of(handle.acquire()) : handle.acquire(timeout);
            if (acquired.isEmpty()) {
                String when = timeout.isZero() ? " at once" : " within " + Durations.format(timeout.toMillis());
                common.err().println("warden: " + lock + " not acquired" + when + holdersOf(client, lock));
                common.err().flush();
                return ExitCodes.NOT_ACQUIRED;
            }
            Grant grant = acquired.get();
            lifetime.onEnd(() -> {
                if (grant.isValid()) grant.release(); // else the cell is out of reach or took it: closing the session is enough
            });
            GuardedCommand child = new GuardedCommand(command, environment(grant, session), hold.killGrace, common.err());
            lifetime.onEnd(child::stop);
            grant.onLost(() -> child.lost("lost " + lock + " (token " + grant.token() + "): " + lostReason(grant)));
            return child.run();
        }
    }

    private Map<String, String> environment(Grant grant, Session session) {
        return Map.of("WARDEN_LOCK_NAME", grant.lock(), "WARDEN_LOCK_TOKEN", Long.toString(grant.token()),
            "WARDEN_LOCK_MODE", grant.mode().wire(), "WARDEN_SESSION", Long.toString(session.id()),
            "WARDEN_ENDPOINTS", common.resolveEndpoints().toString());
    }

    /** Why the library stopped vouching for the grant, in its own words. */
    static String lostReason(Grant grant) {
        try {
            grant.checkValid();
            return "no longer valid";
        } catch (LockLostException e) {
            String m = e.getMessage();
            int i = m.indexOf(" is lost: ");
            return i >= 0 ? m.substring(i + " is lost: ".length()) : m;
        }
    }

    /** "; held by session 17, token 42: warden lock ... (user@host pid 9)" for the not-acquired message, or nothing if unknown. */
    private static String holdersOf(WardenClient client, String lock) {
        try {
            Optional<Locks.View> v = client.inspect(lock);
            if (v.isEmpty()) return "";
            Locks.View view = v.get();
            String holders = view.holders().stream()
                .map(h -> "session " + h.session() + ", token " + h.token() + (h.client() == null ? "" : ": " + h.client()))
                .collect(Collectors.joining("; "));
            String delay = view.lockDelayLeftMillis() > 0 ? "; lock-delay " + Durations.format(view.lockDelayLeftMillis()) + " left" : "";
            return (holders.isEmpty() ? "" : "; held by " + holders) + delay;
        } catch (RuntimeException e) {
            return "";
        }
    }
}
