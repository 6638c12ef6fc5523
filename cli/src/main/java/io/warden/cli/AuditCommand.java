package io.warden.cli;

import io.warden.api.Audit;
import io.warden.client.WardenClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code warden audit}: the audit trail (ACL changes, lock breaks, sessions ended by others); needs admin on /. */
@Command(name = "audit", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "Show the audit trail: who changed ACLs, broke locks or ended others' sessions, and when. Needs admin on /.")
final class AuditCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--from", paramLabel = "INDEX", defaultValue = "0", description = "From this event index (default: the oldest kept).")
    long from;

    @Option(names = "--max", paramLabel = "N", defaultValue = "100", description = "At most N entries (1-1000, default: ${DEFAULT-VALUE}).")
    int max;

    @Override
    public Integer call() {
        Audit.Page page;
        try (WardenClient client = common.connect()) {
            page = client.audit(from, max);
        }
        if (common.json()) {
            common.printJson(page);
            return ExitCodes.OK;
        }
        Table t = new Table("INDEX", "AT", "PRINCIPAL", "ACTION", "TARGET", "DETAILS");
        page.entries().forEach(e -> t.row(e.index(), e.at(), e.principal(), e.action(), e.target(), Table.clip(e.details(), 80)));
        if (t.isEmpty()) common.out().println("no audit entries from index " + from);
        else t.print(common.out());
        if (page.entries().size() == max) common.out().println("(more may follow: --from " + page.next() + ")");
        common.out().flush();
        return ExitCodes.OK;
    }
}
