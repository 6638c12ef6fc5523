package io.warden.server.replica;

/** The session does not exist, ended, or is being expired: the client must open a new one. */
public final class SessionGoneException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long session;

    public SessionGoneException(long session) {
        super("session " + session + " does not exist or has expired; open a new session");
        this.session = session;
    }

    public long session() {
        return session;
    }
}
