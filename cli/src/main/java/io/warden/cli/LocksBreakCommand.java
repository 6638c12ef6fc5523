package io.warden.cli;

import io.warden.api.Locks;
import io.warden.client.WardenClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code warden locks break NAME}: an administrator takes the lock from its holders. Their grants
 * stop being valid (their fencing tokens are refused once a newer grant exists) and the lock's
 * lock-delay runs before anyone else gets it.
 */
@Command(name = "break", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "Take a lock from its holders (they are fenced; the lock-delay applies).")
final class LocksBreakCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "NAME", description = "The lock, like /jobs/nightly.")
    String name;

    @Override
    public Integer call() {
        Locks.Broken broken;
        try (WardenClient client = common.connect()) {
            broken = client.breakLock(CommonOptions.path(name));
        }
        if (common.json()) {
            common.printJson(broken);
        } else {
            common.out().println("broke " + broken.lock());
            common.out().flush();
        }
        return ExitCodes.OK;
    }
}
