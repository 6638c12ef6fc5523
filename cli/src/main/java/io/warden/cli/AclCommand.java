package io.warden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code warden acl ls|set|rm|check}: the cell's ACLs (docs/security.md). */
@Command(name = "acl", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "List, set, remove and check ACL entries (who may read, lock or administer which names).",
    subcommands = {AclListCommand.class, AclSetCommand.class, AclRemoveCommand.class, AclCheckCommand.class})
final class AclCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "say which: ls, set, rm or check");
    }
}
