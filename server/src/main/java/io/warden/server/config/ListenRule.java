package io.warden.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica serves plain HTTP and plain peer TCP, and unauthenticated clients, only on loopback
 * addresses: anything reachable from another machine needs TLS and authentication (an {@code auth}
 * section with tokens or client certificates), or the explicit {@code --insecure} flag (which the
 * server then announces with a warning at every start). Loopback stays easy for a local cell.
 */
public final class ListenRule {
    private ListenRule() {}

    /** Throws a {@link ConfigException} (field {@code tls} or {@code auth}) when {@code config} breaks the rule. */
    public static void check(CellConfig config) {
        if (config.insecure()) return;
        Member self = config.selfMember();
        if (isLoopback(self.host())) return;
        if (config.tls() != null && !config.auth().enabled()) {
            throw new ConfigException("auth", "replica " + self.id() + " would listen on " + self.host()
                + ", which is not a loopback address, without authentication: add an \"auth\" section with tokens or "
                + "\"clientCertificates\": true, and admins (docs/security.md), or pass --insecure to let anyone "
                + "who can reach it take and break locks");
        }
        if (config.tls() == null) {
            throw new ConfigException("tls", "replica " + self.id() + " would listen on " + self.host()
                + " (client port " + self.clientPort() + ", peer port " + self.peerPort() + "), which is not a loopback "
                + "address, without TLS: add a \"tls\" section (docs/security.md), or pass --insecure to serve "
                + "unencrypted and unauthenticated traffic anyway");
        }
    }

    /** Whether every address {@code host} names is a loopback address (a wildcard such as 0.0.0.0 is not). */
    static boolean isLoopback(String host) {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            addresses.addAll(List.of(InetAddress.getAllByName(host)));
        } catch (UnknownHostException e) {
            throw new ConfigException("members[].host", "'" + host + "' cannot be resolved: " + e.getMessage());
        }
        return addresses.stream().allMatch(InetAddress::isLoopbackAddress);
    }
}
