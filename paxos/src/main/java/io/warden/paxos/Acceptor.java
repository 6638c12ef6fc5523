package io.warden.paxos;

import io.warden.leases.Deadline;
import io.warden.leases.LeaseTerms;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The acceptor role: promises, accepts, and grants the master lease.
 *
 * <p>Durability: a promise or an accepted value is persisted before the reply that reveals it, and
 * {@link Outbox#requireSync()} makes the driver sync before that reply leaves. The lease grant is
 * never persisted; instead a restarted acceptor waits out the longest grant it could have made
 * ({@link #recoveringUntil}) before it promises or grants again (Paxos Made Live §5.2, Chubby §2.2).
 */
final class Acceptor {
    private final int self;
    private final PaxosStorage storage;
    private final Outbox out;
    private final LeaseTerms lease;
    private final boolean leaseIgnoresDrift;
    private final long recoveringUntil;

    private Ballot promised;
    private final SlotMap<Message.AcceptedEntry> accepted = new SlotMap<>();
    /** The replica this acceptor granted the master lease to, and until when (own clock). */
    private int grantee;
    private Deadline grant = Deadline.NONE;

    Acceptor(int self, PaxosStorage storage, Outbox out, PaxosOptions options, DurableState recovered, long now) {
        this.self = self;
        this.storage = storage;
        this.out = out;
        this.lease = options.masterLease();
        this.leaseIgnoresDrift = options.has(PlantedBug.LEASE_IGNORES_DRIFT);
        this.promised = recovered.promised();
        accepted.putAll(recovered.accepted());
        // A replica that never promised anything never granted a lease either (a grant is always
        // for a ballot it had promised durably): only a replica with a past must wait.
        boolean hasPast = !promised.equals(Ballot.ZERO) || !accepted.isEmpty() || recovered.snapshot().isPresent();
        boolean skipWait = options.has(PlantedBug.NO_WAIT_AFTER_RESTART);
        this.recoveringUntil = hasPast && !skipWait ? now + lease.forgottenGrantWaitMillis() : now;
    }

    Ballot promised() {
        return promised;
    }

    boolean recovering(long now) {
        return now < recoveringUntil;
    }

    /** True while this acceptor's lease grant binds it to a replica other than {@code replicaId}. */
    boolean boundToOther(int replicaId, long now) {
        return grantee != 0 && grantee != replicaId && grant.holdsAt(now);
    }

    Message.AcceptedEntry accepted(long slot) {
        return accepted.get(slot);
    }

    void onPrepare(Message.Prepare p, long now, Learner learner) {
        if (recovering(now) || boundToOther(p.ballot().replicaId(), now) || !p.ballot().isAtLeast(promised)) {
            out.send(new Message.Reject(self, p.from(), p.ballot(), promised));
            return;
        }
        promise(p.ballot());
        out.send(new Message.Promise(self, p.from(), p.ballot(), report(p.fromSlot(), learner), learner.snapshotSlot()));
    }

    void onAccept(Message.Accept a, Learner learner) {
        if (!a.ballot().isAtLeast(promised)) {
            out.send(new Message.Reject(self, a.from(), a.ballot(), promised));
            return;
        }
        promise(a.ballot());
        if (a.slot() > learner.snapshotSlot()) {
            Message.AcceptedEntry had = accepted.get(a.slot());
            if (had == null || !had.ballot().equals(a.ballot())) {
                accepted.put(a.slot(), new Message.AcceptedEntry(a.slot(), a.ballot(), a.value(), false));
                storage.persistAccepted(a.slot(), a.ballot(), a.value());
                out.requireSync();
            }
        }
        out.send(new Message.Accepted(self, a.from(), a.ballot(), a.slot()));
    }

    /** Grants (or extends) the master lease to a ballot at least as high as the one promised. */
    void onLeaseRenew(Message.LeaseRenew r, long now) {
        if (recovering(now)) return; // it may have granted someone else a lease it forgot: stay silent
        if (!r.ballot().isAtLeast(promised) || boundToOther(r.ballot().replicaId(), now)) {
            out.send(new Message.Reject(self, r.from(), r.ballot(), promised));
            return;
        }
        promise(r.ballot());
        grantee = r.ballot().replicaId();
        long honourMillis = leaseIgnoresDrift ? lease.durationMillis() : lease.grantorMillis();
        grant = new Deadline(now + honourMillis);
        out.send(new Message.LeaseGrant(self, r.from(), r.ballot(), r.round()));
    }

    /** Slots up to {@code slot} are in a durable snapshot: their accepted values are no longer needed. */
    void compactThrough(long slot) {
        accepted.removeThrough(slot);
    }

    private void promise(Ballot ballot) {
        if (!ballot.isAbove(promised)) return;
        promised = ballot;
        storage.persistPromise(ballot);
        out.requireSync();
    }

    /** Phase 1b's report: what this replica knows of every slot from {@code fromSlot} on. */
    private List<Message.AcceptedEntry> report(long fromSlot, Learner learner) {
        TreeMap<Long, Message.AcceptedEntry> merged = new TreeMap<>();
        accepted.forEachFrom(fromSlot, merged::put);
        learner.forEachDecidedFrom(fromSlot, (slot, value) -> {
            Message.AcceptedEntry a = merged.get(slot);
            Ballot b = a == null ? Ballot.ZERO : a.ballot();
            merged.put(slot, new Message.AcceptedEntry(slot, b, value, true));
        });
        return new ArrayList<>(merged.values());
    }
}
