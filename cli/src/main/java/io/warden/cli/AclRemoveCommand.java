package io.warden.cli;

import io.warden.api.Acls;
import io.warden.client.WardenClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code warden acl rm PATH SUBJECT}: removes one entry (needs admin on PATH; audited). Exits 5 if there is none. */
@Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "Remove SUBJECT's entry on PATH (what is granted above PATH applies again). Needs admin on PATH; audited.")
final class AclRemoveCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "PATH", description = "The entry's path, exactly as listed.")
    String path;

    @Parameters(index = "1", paramLabel = "SUBJECT", description = "The entry's subject, exactly as listed.")
    String subject;

    @Override
    public Integer call() {
        Acls.Changed changed;
        try (WardenClient client = common.connect()) {
            changed = client.removeAcl(CommonOptions.path(path), subject);
        }
        if (common.json()) {
            common.printJson(changed);
        } else {
            common.out().println("removed " + changed.subject() + " on " + changed.path() + " (event " + changed.index() + ")");
            common.out().flush();
        }
        return ExitCodes.OK;
    }
}
