package io.warden.cli;

import io.warden.api.Tokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code warden token new|hash}: make a bearer token and the SHA-256 a cell's config holds for it.
 * Works offline; the token itself goes only to whoever will use it, never into the config.
 */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "Make bearer tokens and their hashes for a cell's auth config (offline).",
    subcommands = {TokenCommand.New.class, TokenCommand.Hash.class})
final class TokenCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "say which: new or hash");
    }

    /** {@code warden token new --principal P}: a new random token, its hash, and the config entry. */
    @Command(name = "new", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
        description = "Print a new random token (give it to its user), its SHA-256, and the entry for the cell's auth.tokens.")
    static final class New implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--principal", required = true, paramLabel = "NAME", description = "Whom the token authenticates.")
        String principal;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", description = "table (default) or json.")
        CommonOptions.Format format;

        @Override
        public Integer call() throws Exception {
            String token = Tokens.newToken();
            String hash = Tokens.sha256Hex(token);
            var out = spec.commandLine().getOut();
            if (format == CommonOptions.Format.JSON) {
                out.println(CommonOptions.JSON.writeValueAsString(Map.of("principal", principal, "token", token, "sha256", hash)));
            } else {
                out.println("token   " + token);
                out.println("sha256  " + hash);
                out.println();
                out.println("in every replica's config, under auth.tokens:");
                out.println("  " + CommonOptions.JSON.writeValueAsString(Map.of("principal", principal, "sha256", hash)));
                out.println("the caller sends it as:  WARDEN_TOKEN=" + token + "  (or Authorization: Bearer ...)");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code warden token hash}: the SHA-256 of a token read from stdin (not argv, where ps would show it). */
    @Command(name = "hash", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
        description = "Read a token from standard input (one line) and print its SHA-256 for the cell's auth.tokens.")
    static final class Hash implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            String token = line == null ? null : line.trim();
            String bad = Tokens.problemWith(token);
            if (bad != null) throw new CommandLine.ParameterException(spec.commandLine(), bad);
            spec.commandLine().getOut().println(Tokens.sha256Hex(token));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
