package io.warden.cli;

import io.warden.api.Groups;
import io.warden.client.WardenClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code warden members ls GROUP}: a group's members now (an empty group lists none; it is not an error). */
@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "List a group's members: name, session, payload, when joined.")
final class MembersListCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "GROUP", description = "The group, like /services/api.")
    String group;

    @Override
    public Integer call() {
        Groups.Listing listing;
        try (WardenClient client = common.connect()) {
            listing = client.members(CommonOptions.path(group));
        }
        if (common.json()) {
            common.printJson(listing);
            return ExitCodes.OK;
        }
        Table t = new Table("MEMBER", "SESSION", "PAYLOAD", "JOINED");
        for (Groups.Member m : listing.members()) t.row(m.member(), m.session(), Table.clip(m.payload(), 60), m.joinedAt());
        if (t.isEmpty()) {
            common.out().println("no members in " + listing.group());
        } else {
            t.print(common.out());
        }
        common.out().flush();
        return ExitCodes.OK;
    }
}
