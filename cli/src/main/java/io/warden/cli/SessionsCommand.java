package io.warden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code warden sessions ls|show}: the cell's live sessions and what each holds, waits for and belongs to. */
@Command(name = "sessions", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "List and inspect sessions.", subcommands = {SessionsListCommand.class, SessionsShowCommand.class})
final class SessionsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "say which: ls or show");
    }
}
