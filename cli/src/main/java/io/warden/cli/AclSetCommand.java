package io.warden.cli;

import io.warden.api.Acls;
import io.warden.api.Permission;
import io.warden.client.WardenClient;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code warden acl set PATH SUBJECT PERMISSION}: adds or replaces one entry (needs admin on PATH; audited). */
@Command(name = "set", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "Give SUBJECT a PERMISSION on PATH (replacing what it had there). Needs admin on PATH; audited.")
final class AclSetCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "PATH", description = "/ (everything), a prefix like /jobs/, or one name like /jobs/batch-7.")
    String path;

    @Parameters(index = "1", paramLabel = "SUBJECT", description = "A principal, group:NAME, or * (every authenticated caller).")
    String subject;

    @Parameters(index = "2", paramLabel = "PERMISSION", description = "none, read, lock or admin (each includes the ones before).")
    String permission;

    @Override
    public Integer call() {
        Permission p;
        try {
            p = Permission.fromWire(permission);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(common.mixee.commandLine(), e.getMessage());
        }
        Acls.Changed changed;
        try (WardenClient client = common.connect()) {
            changed = client.setAcl(CommonOptions.path(path), subject, p);
        }
        if (common.json()) {
            common.printJson(changed);
        } else {
            common.out().println("set " + changed.subject() + " " + changed.permission().wire() + " on " + changed.path()
                + " (event " + changed.index() + ")");
            common.out().flush();
        }
        return ExitCodes.OK;
    }
}
