package io.warden.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code warden completion}: a bash (and zsh, via bashcompinit) completion script for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = {"Print a bash completion script. Try: source <(bin/warden completion)",
        "or save it: bin/warden completion > /etc/bash_completion.d/warden"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("warden", WardenCli.commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
