package io.warden.server.cell;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.warden.api.Sequencer;

/** A command's outcome as the state machine returns it (kept by the exactly-once table for retries). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "result")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CellResult.Written.class, name = "written"),
    @JsonSubTypes.Type(value = CellResult.SessionCreated.class, name = "session-created"),
    @JsonSubTypes.Type(value = CellResult.Granted.class, name = "granted"),
    @JsonSubTypes.Type(value = CellResult.Queued.class, name = "queued"),
    @JsonSubTypes.Type(value = CellResult.NotAcquired.class, name = "not-acquired"),
    @JsonSubTypes.Type(value = CellResult.Done.class, name = "done"),
    @JsonSubTypes.Type(value = CellResult.Refused.class, name = "refused"),
})
public sealed interface CellResult {
    /** A register was written; its revision is the event index of the write. */
    record Written(long revision, CellState.Register previous) implements CellResult {}

    record SessionCreated(long session, long timeoutMillis) implements CellResult {}

    record Granted(Sequencer sequencer) implements CellResult {}

    /** The acquirer waits in the lock's queue; a later event grants it or times it out. */
    record Queued(long position) implements CellResult {}

    /** A try-once acquire found the lock unavailable. */
    record NotAcquired(String reason) implements CellResult {}

    /** Done; {@code index} is the event index of the change (0 if nothing changed). */
    record Done(long index) implements CellResult {}

    /** Refused and nothing changed: {@code status}/{@code type} map to the API's problem. */
    record Refused(int status, String type, String detail) implements CellResult {}
}
