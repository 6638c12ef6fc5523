package io.warden.server.it;

import io.warden.client.Grant;
import io.warden.client.Session;
import io.warden.client.WardenClient;
import java.time.Duration;

/**
 * A client in a process of its own, so a test can kill -9 it: campaigns for {@code lock}, prints
 * {@code LEADER <token>} once it leads, and holds on until killed.
 * Args: endpoints (comma-separated), lock, value, session timeout in ms.
 */
public final class LeaderProcess {
    private LeaderProcess() {}

    public static void main(String[] args) throws Exception {
        WardenClient client = WardenClient.builder().endpoints(args[0].split(",")).build();
        Session session = client.newSession(Duration.ofMillis(Long.parseLong(args[3])), "leader-process");
        Grant g = session.election(args[1]).campaign(args[2]);
        System.out.println("LEADER " + g.token());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
