package io.warden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code warden members ls|join}: group membership tied to a session. */
@Command(name = "members", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "List a group's members, or be a member while a command runs.",
    subcommands = {MembersListCommand.class, MembersJoinCommand.class})
final class MembersCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "say which: ls or join");
    }
}
