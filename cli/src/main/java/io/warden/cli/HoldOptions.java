package io.warden.cli;

import io.warden.client.Session;
import io.warden.client.WardenClient;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What the commands that hold something while a child runs share: the session's timeout and the kill grace. */
final class HoldOptions {
    @Option(names = "--session-ttl", paramLabel = "DURATION", converter = Durations.class,
        description = "The session's timeout: how long the cell keeps it without a KeepAlive (default: the cell's, 12s).")
    Duration sessionTtl;

    @Option(names = "--kill-grace", paramLabel = "DURATION", converter = Durations.class, defaultValue = "5s",
        description = "When the command must stop: SIGTERM, then SIGKILL after this long (default: ${DEFAULT-VALUE}).")
    Duration killGrace;

    Session openSession(WardenClient client, String what) {
        return client.newSession(sessionTtl == null ? Duration.ZERO : sessionTtl, CommonOptions.sessionLabel(what));
    }
}
