package io.warden.jepsen.nemesis;

import java.util.Map;
import java.util.function.Supplier;

/**
 * One fault a {@link Nemesis} injected and can undo. {@link #description()} says what was done
 * (JSON values: it is recorded in the history as the value of the nemesis's start op).
 *
 * <p>Contract: {@link #heal()} undoes the fault, is idempotent, and never throws for a fault that
 * is already healed; it returns what it did (recorded as the value of the stop op).
 */
public interface Fault {

    /** What was injected, e.g. {@code {"mode":"isolate-master","replicas":[2]}}. */
    Map<String, Object> description();

    /** Undoes the fault (blocks until done); returns what it did. */
    Map<String, Object> heal();

    /** A fault described by {@code description} and undone by {@code heal} (which keeps the contract above). */
    static Fault of(Map<String, Object> description, Supplier<Map<String, Object>> heal) {
        return new Fault() {
            @Override
            public Map<String, Object> description() {
                return description;
            }

            @Override
            public Map<String, Object> heal() {
                return heal.get();
            }
        };
    }
}
