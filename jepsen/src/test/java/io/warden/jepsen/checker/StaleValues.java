package io.warden.jepsen.checker;

import io.warden.jepsen.history.Call;
import io.warden.jepsen.history.Functions;
import io.warden.jepsen.history.History;
import io.warden.jepsen.history.Op;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds a provably stale value for a read: the value of an ok write W1 of the read's key, such
 * that another ok write W2 began after W1 completed and completed before the read began. With
 * unique written values, a read returning W1's value then has no linearization.
 */
final class StaleValues {
    private StaleValues() {}

    static Optional<Object> find(List<Op> history, int readCompletionIndex) {
        List<Call> calls = History.calls(history);
        Call read = calls.stream().filter(c -> c.completionIndex() == readCompletionIndex).findFirst().orElseThrow();
        List<Call> writes = calls.stream()
                .filter(c -> c.isOk() && c.f().equals(Functions.WRITE) && Objects.equals(c.key(), read.key()))
                .toList();
        for (Call w1 : writes) {
            for (Call w2 : writes) {
                if (w1.precedes(w2) && w2.precedes(read)) {
                    return Optional.of(w1.invoke().value());
                }
            }
        }
        return Optional.empty();
    }
}
