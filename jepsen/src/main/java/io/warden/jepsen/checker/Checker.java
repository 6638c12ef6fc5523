package io.warden.jepsen.checker;

import io.warden.jepsen.history.Op;
import java.util.List;

/**
 * Judges a whole history after a run. Implementations are pure: no I/O, no clock, no shared state,
 * so they are safe to call from any thread and give the same result for the same history.
 * A history that breaks the recording rules of {@link io.warden.jepsen.history.History#calls}
 * (a harness bug, not an anomaly of the system under test) throws {@link IllegalArgumentException}.
 */
public interface Checker {

    /** Checks {@code history} (in recorded order, times in nanoseconds). */
    CheckResult check(List<Op> history);
}
