package io.warden.cli;

/**
 * What {@code warden} exits with: distinct codes so scripts can tell "not acquired in time" from
 * "the lock was lost" from a plain error. A command run under {@code warden lock}, {@code warden elect}
 * or {@code warden members join} that runs to its end passes its own exit code through instead.
 */
public final class ExitCodes {
    private ExitCodes() {}

    /** Done as asked. */
    public static final int OK = 0;
    /** The cell refused or could not be reached, or anything else went wrong; the message says what. */
    public static final int ERROR = 1;
    /** The command line was wrong (unknown option, missing argument, bad duration). */
    public static final int USAGE = 2;
    /** {@code warden lock}: the lock was not granted within {@code --timeout}. */
    public static final int NOT_ACQUIRED = 3;
    /** The lock, leadership or membership was lost while the command ran: the command was stopped. */
    public static final int LOCK_LOST = 4;
    /** No such lock, session or group member. */
    public static final int NOT_FOUND = 5;
    /** The cell refused who we are (401: no or a wrong token) or what we asked (403: a permission is missing). */
    public static final int DENIED = 6;
    /** Stopped by SIGINT (128 + 2): the command was stopped, the session closed. */
    public static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM (128 + 15): the command was stopped, the session closed. */
    public static final int TERMINATED = 143;
}
