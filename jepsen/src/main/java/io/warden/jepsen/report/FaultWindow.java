package io.warden.jepsen.report;

import java.util.Map;

/**
 * A span of a run during which a fault was (possibly) in place: from the invoke of the nemesis's
 * start op to the completion of its stop op (or the end of the history, if it was never healed),
 * in the history's nanoseconds. {@code kind} is the nemesis ({@code partition}, {@code kill},
 * {@code pause}, {@code clock}); {@code description} what the start op said it did.
 */
public record FaultWindow(long fault, String kind, long startNanos, long endNanos, Map<String, Object> description) {

    public FaultWindow {
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("a fault window cannot end before it starts");
        }
        description = description == null ? Map.of() : Map.copyOf(description);
    }

    /** Its length in milliseconds. */
    public long millis() {
        return (endNanos - startNanos) / 1_000_000;
    }
}
