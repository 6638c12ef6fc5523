package io.warden.paxos;

/**
 * Told of every slot a replica learns decided, in the order it learns them (not slot order).
 * Called on the replica's driving thread; must not call back into the replica. The simulator's
 * checkers listen here; real replicas use {@link #NONE}.
 */
@FunctionalInterface
public interface DecisionListener {
    DecisionListener NONE = (slot, value) -> {};

    void decided(long slot, Value value);
}
