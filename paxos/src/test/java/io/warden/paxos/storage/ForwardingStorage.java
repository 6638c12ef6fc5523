package io.warden.paxos.storage;

import io.warden.paxos.Ballot;
import io.warden.paxos.DurableState;
import io.warden.paxos.PaxosStorage;
import io.warden.paxos.Snapshot;
import io.warden.paxos.Value;

/**
 * A {@link PaxosStorage} that hands every call to another: tests subclass it to change one call
 * (a sync that lies, one that waits for a gate) and keep the rest real. Test code only.
 */
public abstract class ForwardingStorage implements PaxosStorage {
    private final PaxosStorage delegate;

    protected ForwardingStorage(PaxosStorage delegate) {
        this.delegate = delegate;
    }

    @Override
    public DurableState recover() {
        return delegate.recover();
    }

    @Override
    public void persistPromise(Ballot promised) {
        delegate.persistPromise(promised);
    }

    @Override
    public void persistAccepted(long slot, Ballot ballot, Value value) {
        delegate.persistAccepted(slot, ballot, value);
    }

    @Override
    public void persistDecided(long slot, Value value) {
        delegate.persistDecided(slot, value);
    }

    @Override
    public void persistSnapshot(Snapshot snapshot) {
        delegate.persistSnapshot(snapshot);
    }

    @Override
    public void sync() {
        delegate.sync();
    }
}
