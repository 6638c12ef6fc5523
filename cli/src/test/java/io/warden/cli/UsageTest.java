package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The command line itself, no cell needed: help everywhere, usage errors exit 2 in one line, unreachable cells exit 1. */
class UsageTest {
    static Stream<Arguments> everyCommand() {
        List<Arguments> all = new ArrayList<>();
        collect(WardenCli.commandLine(), new ArrayList<>(), all);
        return all.stream();
    }

    private static void collect(CommandLine cl, List<String> path, List<Arguments> into) {
        into.add(Arguments.of(String.join(" ", path)));
        cl.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().name().equals(name)) return; // an alias
            List<String> p = new ArrayList<>(path);
            p.add(name);
            collect(sub, p, into);
        });
    }

    @ParameterizedTest(name = "warden {0} --help")
    @MethodSource("everyCommand")
    void everyCommandHasHelp(String command) {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--help");
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Usage: warden" + (command.isEmpty() ? "" : " " + command));
    }

    @Test
    void everyCommandIsReachable() {
        assertThat(everyCommand().map(a -> (String) a.get()[0]).toList()).contains("status", "locks ls", "locks show", "locks break",
            "lock", "elect", "sessions ls", "sessions show", "members ls", "members join", "watch", "completion", "bench");
    }

    @ParameterizedTest(name = "warden {0}")
    @MethodSource("usageErrors")
    void usageErrorsExit2InOneLine(List<String> args, String says) {
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        List<String> warden = r.err().lines().filter(l -> l.startsWith("warden: ")).toList();
        assertThat(warden).as(r.toString()).hasSize(1);
        assertThat(warden.get(0)).contains(says);
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
            Arguments.of(List.of(), "say which command"),
            Arguments.of(List.of("frobnicate"), "frobnicate"),
            Arguments.of(List.of("locks"), "ls, show or break"),
            Arguments.of(List.of("lock", "/a"), "COMMAND"),
            Arguments.of(List.of("lock", "/a", "--timeout", "10x", "--", "true"), "not a duration"),
            Arguments.of(List.of("status", "-o", "yaml"), "yaml"),
            Arguments.of(List.of("elect", "/e"), "or --observe"),
            Arguments.of(List.of("elect", "/e", "--observe", "--", "true"), "takes no command"),
            Arguments.of(List.of("sessions", "show", "abc"), "abc"),
            Arguments.of(List.of("status", "--endpoints", "ftp://x"), "http://"),
            Arguments.of(List.of("bench", "--workload", "w9"), "unknown workload 'w9'"),
            Arguments.of(List.of("bench", "--duration", "0"), "--duration"),
            Arguments.of(List.of("bench", "--clients", "0"), "--clients"),
            Arguments.of(List.of("bench", "--sessions", "2000000"), "--sessions"));
    }

    @Test
    void anUnreachableCellIsOneLineAndExit1() {
        Cli.Result r = Cli.run("locks", "ls", "--endpoints", "http://127.0.0.1:1", "--retry-for", "300ms");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err().lines().toList()).as(r.toString()).hasSize(1).first().asString()
            .startsWith("warden: cannot reach the cell");
    }

    @Test
    void statusWithNoReplicaAnsweringExits1() {
        Cli.Result r = Cli.run("status", "--endpoints", "http://127.0.0.1:1");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.out()).contains("http://127.0.0.1:1").contains(" no ");
        assertThat(r.err()).contains("warden: no replica answers as master");
    }

    @Test
    void completionIsABashScript() {
        Cli.Result r = Cli.run("completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F").contains("warden").contains("locks").contains("--endpoints");
    }
}
