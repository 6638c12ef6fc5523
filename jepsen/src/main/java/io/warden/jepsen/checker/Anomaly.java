package io.warden.jepsen.checker;

import io.warden.jepsen.history.Op;
import java.util.List;
import java.util.Objects;

/**
 * One thing a checker found wrong: its {@code kind} (a stable, kebab-case name such as
 * {@code stale-write} or {@code nonlinearizable}), the {@code key} it concerns (a lock, register,
 * election or group; null if none), a one-line human explanation, and the ops involved (invokes and
 * completions, in the order the message names them).
 */
public record Anomaly(String kind, String key, String message, List<Op> ops) {

    public Anomaly {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        ops = List.copyOf(ops);
    }
}
