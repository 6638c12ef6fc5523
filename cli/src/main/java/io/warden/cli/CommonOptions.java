package io.warden.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.client.RetryPolicy;
import io.warden.client.WardenClient;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every command takes: where the cell is ({@code --endpoints}), how to print ({@code -o}), how
 * long to keep trying through an election or unreachable replicas ({@code --retry-for}), TLS
 * ({@code --cacert}, {@code --cert}, {@code --key}), the bearer token to authenticate with
 * ({@code --token} or $WARDEN_TOKEN); and where
 * its output goes (the command line's writers, so tests can capture them).
 */
final class CommonOptions {
    /** {@code table} for people; {@code json} for scripts: the io.warden.api records as Jackson writes them. */
    enum Format { TABLE, JSON }

    static final ObjectMapper JSON = new ObjectMapper();

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--endpoints", paramLabel = "URLS",
        description = "The cell's replicas, comma-separated (default: $WARDEN_ENDPOINTS, else the local cell's endpoints file, "
            + "else http://127.0.0.1:7001,7002,7003).")
    String endpoints;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table (default) or json.")
    Format format;

    @Option(names = "--retry-for", paramLabel = "DURATION", defaultValue = "15s", converter = Durations.class,
        description = "How long one call keeps trying through an election or unreachable replicas (default: ${DEFAULT-VALUE}).")
    Duration retryFor;

    @Option(names = "--cacert", paramLabel = "PEM",
        description = "Trust this CA certificate (the cell's) for https:// endpoints (default: $WARDEN_CACERT).")
    Path cacert;

    @Option(names = "--cert", paramLabel = "FILE",
        description = "Present this client certificate: a PEM chain with --key, or a PKCS#12 file (.p12/.pfx, password "
            + "from $WARDEN_CERT_PASSWORD) (default: $WARDEN_CERT).")
    Path cert;

    @Option(names = "--key", paramLabel = "PEM", description = "The unencrypted PKCS#8 PEM private key of --cert (default: $WARDEN_KEY).")
    Path key;

    @Option(names = "--token", paramLabel = "TOKEN",
        description = "A bearer token for a cell with authentication on (default: $WARDEN_TOKEN). On the command line it is "
            + "visible to other users of this machine (ps): prefer the environment variable.")
    String token;

    /** The token to send: {@code --token}, else $WARDEN_TOKEN, else none. */
    String resolveToken() {
        String t = token != null ? token : System.getenv("WARDEN_TOKEN");
        return t == null || t.isBlank() ? null : t.trim();
    }

    PrintWriter out() {
        return mixee.commandLine().getOut();
    }

    PrintWriter err() {
        return mixee.commandLine().getErr();
    }

    boolean json() {
        return format == Format.JSON;
    }

    Endpoints resolveEndpoints() {
        try {
            return Endpoints.resolve(endpoints, System.getenv(), Path.of(System.getProperty("user.home")));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    /** A client for the cell; close it when done (it closes its sessions first). */
    WardenClient connect() {
        RetryPolicy defaults = RetryPolicy.defaults();
        WardenClient.Builder b = WardenClient.builder().endpoints(resolveEndpoints().urls().toArray(String[]::new))
            .retryPolicy(new RetryPolicy(defaults.initialBackoff(), defaults.maxBackoff(), retryFor));
        try {
            b.token(resolveToken());
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(mixee.commandLine(), "--token / $WARDEN_TOKEN: " + e.getMessage());
        }
        try {
            ClientTls.resolve(cacert, cert, key, System.getenv()).ifPresent(b::tls);
            return b.build(); // reads the TLS files: a bad one is a usage error naming the file
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    /** One JSON document, indented. */
    void printJson(Object value) {
        try {
            out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
            out().flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** One JSON document on one line (JSON lines, for streams). */
    void printJsonLine(Object value) {
        try {
            out().println(JSON.writeValueAsString(value));
            out().flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Lock and group names are paths; {@code jobs/nightly} means {@code /jobs/nightly}. */
    static String path(String name) {
        return name.startsWith("/") ? name : "/" + name;
    }

    /** The label shown beside this process's session in listings: what runs, where. */
    static String sessionLabel(String what) {
        return Table.clip("warden " + what + " (" + whoAndWhere() + ")", 128);
    }

    /** {@code user@host pid N}: this process, for people reading a listing. */
    static String whoAndWhere() {
        return System.getProperty("user.name", "?") + "@" + hostname() + " pid " + ProcessHandle.current().pid();
    }

    private static String hostname() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) return h;
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "localhost";
        }
    }
}
