package io.warden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code warden locks ls|show|break}: what the cell's locks are doing, and an administrator's break. */
@Command(name = "locks", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "List, inspect and break locks.",
    subcommands = {LocksListCommand.class, LocksShowCommand.class, LocksBreakCommand.class})
final class LocksCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "say which: ls, show or break");
    }
}
