package io.warden.cli;

import io.warden.client.LockLostException;
import io.warden.client.WardenException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code warden}: the command-line face of a Warden cell, speaking only through client-lib. One
 * class per command; this one wires them, maps failures to one line on stderr and a distinct exit
 * code ({@link ExitCodes}), and is the main class {@code bin/warden} starts.
 */
@Command(name = "warden", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "Locks, leader election, membership and events from a Warden cell.",
    subcommands = {
        StatusCommand.class, LocksCommand.class, LockCommand.class, ElectCommand.class, SessionsCommand.class,
        MembersCommand.class, WatchCommand.class, AclCommand.class, AuditCommand.class, TokenCommand.class, BenchCommand.class,
        CompletionCommand.class, CommandLine.HelpCommand.class},
    footerHeading = "%n",
    footer = {
        "Also (bin/warden): cell up|status|down [--dir DIR] [--base-port P]; server --config FILE.",
        "",
        "Every command takes --endpoints URLS (else $WARDEN_ENDPOINTS, else the local cell's",
        "endpoints file), --token TOKEN (else $WARDEN_TOKEN), -o table|json and --help.",
        "",
        "Exit codes: 0 ok, 1 error, 2 usage, 3 lock not acquired in time, 4 lock lost,",
        "  5 no such lock or session, 6 not authenticated or not permitted, 130/143 stopped",
        "  by SIGINT/SIGTERM; lock, elect and members join exit with the command's own code",
        "  when it ran to its end.",
        "Docs: docs/cli.md"})
public final class WardenCli implements Runnable {
    @Spec
    CommandSpec spec;

    /** No subcommand: show what there is, as a usage error. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "say which command to run");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree with warden's error handling and exit codes; tests run it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new WardenCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(WardenCli::failed);
        cl.setParameterExceptionHandler(WardenCli::badUsage);
        cl.setExitCodeExceptionMapper(e -> ExitCodes.ERROR);
        return cl;
    }

    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("warden: " + e.getMessage() + " (see: " + cl.getCommandSpec().qualifiedName() + " --help)");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static int failed(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        if (Lifetime.signalled()) return ExitCodes.ERROR; // the JVM exits 130/143; the hook's cleanup cut this short
        PrintWriter err = cl.getErr();
        err.println("warden: " + describe(e));
        err.flush();
        return exitCode(e);
    }

    static int exitCode(Throwable e) {
        if (e instanceof LockLostException) return ExitCodes.LOCK_LOST;
        if (e instanceof InterruptedException) return ExitCodes.INTERRUPTED;
        if (e instanceof WardenException w) {
            if (w.status() == 404 || w.type().startsWith("no-such-")) return ExitCodes.NOT_FOUND;
            if (w.type().equals("not-acquired")) return ExitCodes.NOT_ACQUIRED;
            if (w.status() == 401 || w.status() == 403) return ExitCodes.DENIED;
        }
        return ExitCodes.ERROR;
    }

    /** One readable line: what went wrong, not a stack trace. */
    static String describe(Throwable e) {
        if (e instanceof WardenException w && w.status() == 0) {
            String where = w.getMessage() != null && w.getMessage().startsWith("no answer from ")
                ? " (last tried " + w.getMessage().substring("no answer from ".length()).split(": ", 2)[0] + ")" : "";
            return "cannot reach the cell" + where + ": " + networkCause(w);
        }
        if (e instanceof WardenException w && w.status() == 401) {
            return w.getMessage() + " [" + w.type() + ", HTTP 401] (give a token: --token or $WARDEN_TOKEN)";
        }
        if (e instanceof WardenException w) return w.getMessage() + " [" + w.type() + (w.status() > 0 ? ", HTTP " + w.status() : "") + "]";
        if (e instanceof InterruptedException) return "interrupted";
        if (e.getMessage() != null) return e.getMessage();
        return e.getClass().getSimpleName();
    }

    /** "connection refused" rather than the JDK's ClosedChannelException three causes down. */
    static String networkCause(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = e; c != null && !chain.contains(c); c = c.getCause()) chain.add(c);
        if (chain.stream().anyMatch(c -> c instanceof java.net.UnknownHostException || c instanceof java.nio.channels.UnresolvedAddressException)) {
            return "unknown host";
        }
        if (chain.stream().anyMatch(c -> c instanceof java.net.http.HttpTimeoutException)) return "no answer in time";
        if (chain.stream().anyMatch(c -> c instanceof java.net.ConnectException)) return "connection refused";
        Throwable deepest = chain.get(chain.size() - 1);
        if (deepest == e && e instanceof WardenException) return "no answer";
        return deepest.getMessage() != null ? deepest.getMessage() : deepest.getClass().getSimpleName();
    }

    /** The version of the jar, or of the build when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = WardenCli.class.getPackage().getImplementationVersion();
            return new String[] {"warden " + (v != null ? v : "0.1.0-SNAPSHOT")};
        }
    }
}
