package io.warden.server.config;

/**
 * One replica of the cell, as every member's configuration must list it.
 *
 * @param host       the address it binds and others reach it at (its own loopback address in tests)
 * @param clientPort the REST API's port
 * @param peerPort   the peer transport's port
 * @param tls        whether the cell speaks TLS: the client API is then at {@code https://}
 */
public record Member(int id, String host, int clientPort, int peerPort, boolean tls) {
    public Member(int id, String host, int clientPort, int peerPort) {
        this(id, host, clientPort, peerPort, false);
    }

    public Member {
        if (id <= 0) throw new ConfigException("members[].id", "must be a positive integer, got " + id);
        if (host == null || host.isBlank()) throw new ConfigException("members[" + id + "].host", "is required");
        if (clientPort < 0 || clientPort > 65535) throw new ConfigException("members[" + id + "].clientPort", "must be 0-65535, got " + clientPort);
        if (peerPort < 1 || peerPort > 65535) throw new ConfigException("members[" + id + "].peerPort", "must be 1-65535, got " + peerPort);
    }

    public Member withTls() {
        return new Member(id, host, clientPort, peerPort, true);
    }

    public String clientUrl() {
        return (tls ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + clientPort;
    }
}
