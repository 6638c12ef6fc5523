package io.warden.jepsen.history;

/**
 * The operation names ({@link Op#f()}) the workloads record and the checkers read. The set is
 * open: a history may carry others, and each checker ignores the names it does not know.
 *
 * <p>Value conventions: {@link #ACQUIRE} and {@link #CAMPAIGN} complete {@code ok} with the
 * fencing token; {@link #WRITE} carries the value written (in the lock workload: the holder's
 * token, written to the lock's fenced resource); {@link #READ} completes with the value read
 * ({@code null}: never written); {@link #CAS} carries {@code [expected, new]}; {@link #JOIN} and
 * {@link #LEAVE} carry the member name and {@link #MEMBERS} completes with the listed names. Ops
 * that concern a session carry its id in {@link Op#session()}.
 */
public final class Functions {
    private Functions() {}

    public static final String ACQUIRE = "acquire";
    /**
     * A release (value: the token). A lock lost (session expired, jeopardy, broken) is recorded as
     * a release completed {@code ok} for its holder with {@code error} {@code "lost: <why>"}
     * ({@link HistoryRecorder#ok(int, Object, String)}), which frees nothing early: lock-delay
     * still applies. A release without that note is voluntary.
     */
    public static final String RELEASE = "release";
    public static final String READ = "read";
    public static final String WRITE = "write";
    public static final String CAS = "cas";
    public static final String JOIN = "join";
    public static final String LEAVE = "leave";
    public static final String MEMBERS = "members";
    public static final String CAMPAIGN = "campaign";
    public static final String RESIGN = "resign";
    /** Leadership lost without a resign (jeopardy, expiry, broken by an administrator). */
    public static final String LOST = "lost";
    public static final String OPEN_SESSION = "open-session";
    public static final String KEEPALIVE = "keepalive";
    /** The cell declared the session expired (recorded once the harness is told so). */
    public static final String SESSION_EXPIRED = "session-expired";
}
