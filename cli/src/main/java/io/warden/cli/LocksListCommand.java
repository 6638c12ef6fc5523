package io.warden.cli;

import io.warden.api.Locks;
import io.warden.client.WardenClient;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code warden locks ls [PREFIX]}: every lock under a prefix, one line each (a linearizable read at the master). */
@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "List the locks whose names start with PREFIX (default: all): holders, tokens, waiters, lock-delay, value.")
final class LocksListCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", description = "A name prefix, like /jobs/ (default: /).")
    String prefix;

    @Override
    public Integer call() {
        Locks.Listing listing;
        try (WardenClient client = common.connect()) {
            listing = client.locks(prefix == null ? null : CommonOptions.path(prefix));
        }
        if (common.json()) {
            common.printJson(listing);
            return ExitCodes.OK;
        }
        Table t = new Table("LOCK", "MODE", "HOLDERS", "TOKEN", "WAITERS", "LOCK-DELAY", "VALUE");
        for (Locks.View v : listing.locks()) {
            String mode = v.holders().isEmpty() ? "free" : v.holders().get(0).mode().wire();
            String holders = v.holders().stream().map(h -> Long.toString(h.session())).collect(Collectors.joining(","));
            String tokens = v.holders().stream().map(h -> Long.toString(h.token())).collect(Collectors.joining(","));
            t.row(v.lock(), mode, holders.isEmpty() ? "-" : holders, tokens.isEmpty() ? "-" : tokens, v.waiters().size(),
                v.lockDelayLeftMillis() > 0 ? Durations.format(v.lockDelayLeftMillis()) : "-", Table.clip(v.value(), 40));
        }
        if (t.isEmpty()) {
            common.out().println("no locks" + (prefix == null ? "" : " under " + CommonOptions.path(prefix)));
        } else {
            t.print(common.out());
        }
        if (listing.truncated()) common.out().println("(more locks exist; narrow the prefix)");
        common.out().flush();
        return ExitCodes.OK;
    }
}
