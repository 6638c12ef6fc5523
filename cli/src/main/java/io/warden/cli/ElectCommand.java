package io.warden.cli;

import io.warden.client.Grant;
import io.warden.client.LeaderElection;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code warden elect NAME -- COMMAND...}: campaigns for leadership (the lock's exclusive hold, with
 * {@code --value} proclaimed in the lock's value), runs the command only once leading, and stops it
 * the moment leadership is lost (exit 4), exactly as {@code warden lock} does. With
 * {@code --observe}: prints the leader now and after every change, one line each, until stopped.
 */
@Command(name = "elect", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = {"Campaign for leadership and run a command while leading; or --observe the leader.",
        "The command gets WARDEN_LOCK_NAME, WARDEN_LOCK_TOKEN, WARDEN_LOCK_MODE, WARDEN_SESSION, WARDEN_ENDPOINTS "
            + "and WARDEN_LEADER_VALUE in its environment."},
    footerHeading = "%nExamples:%n",
    footer = {"  warden elect /services/scheduler --value \"$(hostname):8080\" -- ./scheduler",
        "  warden elect /services/scheduler --observe"})
final class ElectCommand implements Callable<Integer> {
    /** One line of {@code --observe -o json}: who leads (null: nobody) as of {@code at}. */
    record LeaderChange(String at, LeaderElection.Leader leader) {}

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    HoldOptions hold;

    @Parameters(index = "0", paramLabel = "NAME", description = "The election's lock, like /services/scheduler/leader.")
    String name;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "-- COMMAND", description = "What to run while leading, after --.")
    List<String> command;

    @Option(names = "--value", paramLabel = "VALUE", description = "What the leader proclaims (an address, an id); default: user@host pid N.")
    String value;

    @Option(names = "--observe", description = "Print the leader now and after every change, until interrupted.")
    boolean observe;

    @Option(names = "--count", paramLabel = "N", description = "With --observe: exit after printing N lines.")
    Integer count;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String lock = CommonOptions.path(name);
        boolean hasCommand = command != null && !command.isEmpty();
        if (observe == hasCommand) {
            throw new CommandLine.ParameterException(spec.commandLine(), observe
                ? "--observe takes no command" : "give a command to run while leading (after --), or --observe");
        }
        return observe ? observe(lock) : lead(lock);
    }

    private int lead(String lock) throws IOException, InterruptedException {
        String proclaimed = value != null ? value : CommonOptions.whoAndWhere();
        try (Lifetime lifetime = new Lifetime()) {
            WardenClient client = common.connect();
            lifetime.onEnd(client::close);
            Session session = hold.openSession(client, "elect " + lock);
            lifetime.onEnd(session::close);
            LeaderElection election = session.election(lock);
            Grant leadership = election.campaign(proclaimed);
            lifetime.onEnd(() -> {
                if (leadership.isValid()) election.resign(); // else closing the session is enough
            });
            GuardedCommand child = new GuardedCommand(command, Map.of("WARDEN_LOCK_NAME", lock,
                "WARDEN_LOCK_TOKEN", Long.toString(leadership.token()), "WARDEN_LOCK_MODE", leadership.mode().wire(),
                "WARDEN_SESSION", Long.toString(session.id()), "WARDEN_ENDPOINTS", common.resolveEndpoints().toString(),
                "WARDEN_LEADER_VALUE", proclaimed), hold.killGrace, common.err());
            lifetime.onEnd(child::stop);
            leadership.onLost(() -> child.lost("lost leadership of " + lock + " (token " + leadership.token() + "): "
                + LockCommand.lostReason(leadership)));
            return child.run();
        }
    }

    private int observe(String lock) throws InterruptedException {
        CountDownLatch enough = new CountDownLatch(count == null ? 1 : Math.max(1, count));
        AtomicReference<Optional<LeaderElection.Leader>> last = new AtomicReference<>();
        try (Lifetime lifetime = new Lifetime()) {
            WardenClient client = common.connect();
            lifetime.onEnd(client::close);
            Session session = client.newSession(java.time.Duration.ZERO, CommonOptions.sessionLabel("elect --observe " + lock));
            lifetime.onEnd(session::close);
            AutoCloseable watching = session.election(lock).observe(leader -> {
                synchronized (last) {
                    if (leader.equals(last.get())) return;
                    last.set(leader);
                    print(leader);
                }
                if (count != null) enough.countDown();
            });
            lifetime.onEnd(() -> {
                try {
                    watching.close();
                } catch (Exception e) {
                    // nothing to undo at the cell
                }
            });
            enough.await();
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            return ExitCodes.INTERRUPTED;
        }
    }

    private void print(Optional<LeaderElection.Leader> leader) {
        String at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        if (common.json()) {
            common.printJsonLine(new LeaderChange(at, leader.orElse(null)));
            return;
        }
        common.out().println(at + "  " + leader.map(l -> "leader  session=" + l.session() + " token=" + l.token()
            + " value=" + (l.value() == null ? "-" : l.value())).orElse("no leader"));
        common.out().flush();
    }
}
