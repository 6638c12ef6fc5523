package io.warden.jepsen.workload;

import io.warden.api.Sequencer;
import io.warden.client.FencedResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The resource the lock workload's holders write to: the client library's {@link FencedResource}
 * (it refuses any token lower than the highest it admitted for the lock, Kleppmann's fencing) plus
 * a log of every admitted write, its token and when ({@link System#nanoTime()}), and a count of
 * refusals. In-process, so the harness sees exactly what the resource accepted. Thread-safe.
 */
public final class FencedRegister {
    /** One admitted write. */
    public record Write(String lock, long token, long nanos) {}

    private final FencedResource fence = new FencedResource();
    private final boolean fenced;
    private final Map<String, List<Write>> writes = new HashMap<>();
    private long refused;

    /** A fenced resource. */
    public FencedRegister() {
        this(true);
    }

    /** {@code fenced} false admits every token (a planted bug: the resource forgot to check). */
    public FencedRegister(boolean fenced) {
        this.fenced = fenced;
    }

    /** Admits a write by {@code sequencer}'s holder if its token is not stale; true if admitted. */
    public synchronized boolean write(Sequencer sequencer) {
        if (!fence.admit(sequencer) && fenced) {
            refused++;
            return false;
        }
        writes.computeIfAbsent(sequencer.lock(), l -> new ArrayList<>())
                .add(new Write(sequencer.lock(), sequencer.token(), System.nanoTime()));
        return true;
    }

    /** The highest token admitted for {@code lock} ({@link Long#MIN_VALUE} if none). */
    public synchronized long highest(String lock) {
        return fence.highest(lock);
    }

    /** Every admitted write to {@code lock}, in order. */
    public synchronized List<Write> writes(String lock) {
        return List.copyOf(writes.getOrDefault(lock, List.of()));
    }

    /** Writes admitted, over all locks. */
    public synchronized long admitted() {
        return writes.values().stream().mapToLong(List::size).sum();
    }

    /** Writes refused for a stale token. */
    public synchronized long refused() {
        return refused;
    }
}
