package io.warden.cli;

import io.warden.client.Membership;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code warden members join GROUP NAME -- COMMAND...}: is a member of the group while the command
 * runs, and leaves when it ends. The membership is the session's: if the session falls into
 * jeopardy or expires, the member may already be gone from the group, so the command is stopped
 * and warden exits 4, as {@code warden lock} does. Leaving is closing the session, which removes
 * its memberships in the same step.
 */
@Command(name = "join", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = {"Be a member of a group while a command runs; stop the command if the membership is lost.",
        "The command gets WARDEN_GROUP, WARDEN_MEMBER, WARDEN_SESSION and WARDEN_ENDPOINTS in its environment."},
    footerHeading = "%nExample:%n",
    footer = "  warden members join /services/api web-1 --payload 10.0.0.5:8080 -- ./serve")
final class MembersJoinCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    HoldOptions hold;

    @Parameters(index = "0", paramLabel = "GROUP", description = "The group, like /services/api.")
    String group;

    @Parameters(index = "1", paramLabel = "NAME", description = "This member's name, unique in the group.")
    String member;

    @Parameters(index = "2..*", arity = "1..*", paramLabel = "-- COMMAND", description = "What to run while a member, after --.")
    List<String> command;

    @Option(names = "--payload", paramLabel = "P", description = "What the member tells the group (an address, a shard).")
    String payload;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String g = CommonOptions.path(group);
        try (Lifetime lifetime = new Lifetime()) {
            WardenClient client = common.connect();
            lifetime.onEnd(client::close);
            Session session = hold.openSession(client, "members join " + g + " " + member);
            lifetime.onEnd(session::close);
            Membership membership = session.group(g);
            membership.join(member, payload);
            GuardedCommand child = new GuardedCommand(command, Map.of("WARDEN_GROUP", g, "WARDEN_MEMBER", member,
                "WARDEN_SESSION", Long.toString(session.id()), "WARDEN_ENDPOINTS", common.resolveEndpoints().toString()),
                hold.killGrace, common.err());
            lifetime.onEnd(child::stop);
            session.addListener((s, from, to) -> {
                if (to != Session.State.SAFE) child.lost("lost membership " + member + " in " + g + ": session " + s.id() + " is " + to);
            });
            if (session.state() != Session.State.SAFE) child.lost("session " + session.id() + " is " + session.state());
            return child.run();
        }
    }
}
