package io.warden.cli;

import io.warden.api.Sessions;
import io.warden.client.WardenClient;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code warden sessions ls}: every live session, one line each. */
@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "List live sessions: principal, client, timeout, created, locks held and waited for, group memberships.")
final class SessionsListCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        Sessions.Listing listing;
        try (WardenClient client = common.connect()) {
            listing = client.sessions();
        }
        if (common.json()) {
            common.printJson(listing);
            return ExitCodes.OK;
        }
        Table t = new Table("SESSION", "PRINCIPAL", "CLIENT", "TIMEOUT", "CREATED", "HOLDS", "WAITS", "MEMBER OF");
        for (Sessions.Detail d : listing.sessions()) {
            t.row(d.session(), d.principal(), Table.clip(d.client(), 60), Durations.format(d.timeoutMillis()), d.created(),
                joined(d.holds().stream().map(h -> h.lock() + "#" + h.token())),
                joined(d.waits().stream().map(w -> w.lock() + "@" + w.position())),
                joined(d.memberships().stream().map(m -> m.group() + ":" + m.member())));
        }
        if (t.isEmpty()) {
            common.out().println("no sessions");
        } else {
            t.print(common.out());
        }
        if (listing.truncated()) common.out().println("(more sessions exist than one answer holds)");
        common.out().flush();
        return ExitCodes.OK;
    }

    private static String joined(java.util.stream.Stream<String> items) {
        String s = items.collect(Collectors.joining(","));
        return s.isEmpty() ? "-" : Table.clip(s, 60);
    }
}
