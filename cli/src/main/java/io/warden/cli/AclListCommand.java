package io.warden.cli;

import io.warden.api.Acls;
import io.warden.client.WardenClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code warden acl ls [PREFIX]}: the ACL entries under a prefix, in path order. */
@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "List ACL entries whose path starts with PREFIX (default: all).")
final class AclListCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", description = "Like / or /jobs/ (default: /).")
    String prefix;

    @Override
    public Integer call() {
        Acls.Listing listing;
        try (WardenClient client = common.connect()) {
            listing = client.acls(prefix == null ? "/" : CommonOptions.path(prefix));
        }
        if (common.json()) {
            common.printJson(listing);
            return ExitCodes.OK;
        }
        Table t = new Table("PATH", "SUBJECT", "PERMISSION");
        listing.entries().forEach(e -> t.row(e.path(), e.subject(), e.permission().wire()));
        if (t.isEmpty()) common.out().println("no ACL entries under " + listing.prefix());
        else t.print(common.out());
        if (!listing.enforced()) common.out().println("(authentication is off in this cell: ACLs are kept but not enforced)");
        common.out().flush();
        return ExitCodes.OK;
    }
}
