package io.warden.jepsen.nemesis;

/** A fault could not be injected (no target, a command failed); nothing was left changed. */
public final class NemesisException extends Exception {
    private static final long serialVersionUID = 1L;

    public NemesisException(String message) {
        super(message);
    }

    public NemesisException(String message, Throwable cause) {
        super(message, cause);
    }
}
