package io.warden.server.cell;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.warden.api.LockMode;
import java.util.List;

/**
 * The cell's replicated commands, as they travel in Paxos slots inside an {@link Envelope}. Every
 * command is checked again when applied (the state may have changed since it was proposed); a
 * command that does not apply is answered with {@link CellResult.Refused} and changes nothing.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CellCommand.Put.class, name = "put"),
    @JsonSubTypes.Type(value = CellCommand.CreateSession.class, name = "create-session"),
    @JsonSubTypes.Type(value = CellCommand.CloseSession.class, name = "close-session"),
    @JsonSubTypes.Type(value = CellCommand.ExpireSessions.class, name = "expire-sessions"),
    @JsonSubTypes.Type(value = CellCommand.Acquire.class, name = "acquire"),
    @JsonSubTypes.Type(value = CellCommand.Release.class, name = "release"),
    @JsonSubTypes.Type(value = CellCommand.SetValue.class, name = "set-value"),
    @JsonSubTypes.Type(value = CellCommand.BreakLock.class, name = "break"),
    @JsonSubTypes.Type(value = CellCommand.Join.class, name = "join"),
    @JsonSubTypes.Type(value = CellCommand.Leave.class, name = "leave"),
    @JsonSubTypes.Type(value = CellCommand.Tick.class, name = "tick"),
    @JsonSubTypes.Type(value = CellCommand.NewMaster.class, name = "new-master"),
    @JsonSubTypes.Type(value = CellCommand.SetAcl.class, name = "set-acl"),
    @JsonSubTypes.Type(value = CellCommand.RemoveAcl.class, name = "remove-acl"),
})
public sealed interface CellCommand {
    /** Sets a register (a small value under a name, outside the lock namespace). */
    record Put(String key, String value) implements CellCommand {}

    /**
     * Opens a session owned by {@code principal} (who authenticated; "anonymous" when authentication
     * is off); its timeout is clamped to the cell's bounds.
     */
    record CreateSession(long timeoutMillis, String client, String principal) implements CellCommand {}

    /**
     * Ends a session cleanly: its locks are released without lock-delay, its memberships removed.
     * {@code principal} is who asked: one other than the owner (an administrator) is audited.
     */
    record CloseSession(long session, String principal) implements CellCommand {}

    /** The master saw these sessions stop renewing: their locks go (with lock-delay), their members too. */
    record ExpireSessions(List<Long> sessions) implements CellCommand {}

    /**
     * Acquires {@code lock} in {@code mode}, waiting up to {@code waitMillis} (0: try once) in FIFO
     * order. {@code lockDelayMillis} (−1: the default) is how long the lock stays unavailable if this
     * holder's session dies or the lock is broken.
     */
    record Acquire(long session, String lock, LockMode mode, long waitMillis, long lockDelayMillis) implements CellCommand {}

    record Release(long session, String lock) implements CellCommand {}

    /** Sets the lock's value; only its exclusive holder may. */
    record SetValue(long session, String lock, String value) implements CellCommand {}

    /** {@code principal}, an administrator, takes the lock from its holders: they are fenced, lock-delay applies; audited. */
    record BreakLock(String lock, String principal) implements CellCommand {}

    /** Sets (adds or replaces) one ACL entry; audited as {@code principal}'s. */
    record SetAcl(String path, String subject, io.warden.api.Permission permission, String principal) implements CellCommand {}

    /** Removes one ACL entry; audited as {@code principal}'s. */
    record RemoveAcl(String path, String subject, String principal) implements CellCommand {}

    /** Joins {@code group} as {@code member}, tied to the session. */
    record Join(long session, String group, String member, String payload) implements CellCommand {}

    record Leave(long session, String group, String member) implements CellCommand {}

    /** Time passed: waiters whose bound ran out are answered, locks whose lock-delay ended are granted. */
    record Tick() implements CellCommand {}

    /** A new master took over (Chubby §2.9): recorded as an event, so watchers learn of it. */
    record NewMaster(int replica, String ballot) implements CellCommand {}

    /**
     * A command with the cell time it was proposed at. Cell time is replicated: it starts at 0 and
     * each master continues from the state's time when it took over, counting its own monotonic
     * clock from there, so it never runs backwards and stands still during a fail-over (which is what
     * extends sessions and lock-delays across one). {@code wallMillis} is for display only.
     */
    record Envelope(long cellMillis, long wallMillis, CellCommand command) {}
}
