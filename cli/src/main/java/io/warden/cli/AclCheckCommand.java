package io.warden.cli;

import io.warden.api.Acls;
import io.warden.client.WardenClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden acl check NAME [--principal P]}: what a principal may do on a name, and which entry says so. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "Show what a principal (default: yourself) may do on NAME, and the entry that decides it.")
final class AclCheckCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "NAME", description = "A lock or group name, or a prefix like /jobs/.")
    String name;

    @Option(names = "--principal", paramLabel = "P", description = "Whom to ask about (needs read on NAME).")
    String principal;

    @Override
    public Integer call() {
        Acls.Check c;
        try (WardenClient client = common.connect()) {
            c = client.checkAcl(CommonOptions.path(name), principal);
        }
        if (common.json()) {
            common.printJson(c);
            return ExitCodes.OK;
        }
        String why = !c.enforced() ? "authentication is off: everything is allowed"
            : c.bootstrapAdmin() ? "a bootstrap admin (the cell's config)"
            : c.decidedBy() == null ? "no entry applies: nothing is granted"
            : "entry " + c.decidedBy().subject() + " " + c.decidedBy().permission().wire() + " on " + c.decidedBy().path();
        common.out().println(c.principal() + " has " + c.permission().wire() + " on " + c.name() + " (" + why + ")");
        common.out().flush();
        return ExitCodes.OK;
    }
}
