package io.warden.client;

/**
 * The grant is no longer something the library vouches for: it was released, the cell took it
 * (broken, or the session expired), or the session is in jeopardy. Work protected by the lock must
 * stop; a resource server will refuse its fencing token once a newer grant exists.
 */
public final class LockLostException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public LockLostException(String message) {
        super(message);
    }
}
