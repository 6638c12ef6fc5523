package io.warden.paxos.sim;

import io.warden.paxos.Ballot;
import io.warden.paxos.Command;
import io.warden.paxos.Configuration;
import io.warden.paxos.Message;
import io.warden.paxos.Value;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The simulator's checkers, fed after every step. Each records the first violation it sees.
 * They judge from outside: what replicas learned, applied, held and answered, never their code.
 */
final class Invariants {
    private record Proposal(Ballot ballot, long slot) {}

    private final Configuration configuration;
    private final boolean clocksMayBreakBound;
    private Violation firstClockViolation;
    private long clockViolations;
    private final TreeMap<Long, Value> decided = new TreeMap<>();
    private final Map<Proposal, Value> proposed = new HashMap<>();
    private final Map<Proposal, Set<Integer>> acceptedBy = new HashMap<>();
    private final Map<Long, Value> chosen = new HashMap<>();
    private final Map<Long, Long> digestAtSlot = new HashMap<>();
    private final Map<Long, String> ackedInSlot = new HashMap<>();
    private Violation first;

    /**
     * @param clocksMayBreakBound the run lets clocks break the drift bound: lease violations are then
     *                            the expected loss, counted apart, and checking goes on for the rest
     */
    Invariants(Configuration configuration, boolean clocksMayBreakBound) {
        this.configuration = configuration;
        this.clocksMayBreakBound = clocksMayBreakBound;
    }

    Violation firstClockViolation() {
        return firstClockViolation;
    }

    long clockViolations() {
        return clockViolations;
    }

    Violation first() {
        return first;
    }

    void fail(Violation.Invariant which, long now, String detail) {
        if (clocksMayBreakBound && which.restsOnClocks()) {
            clockViolations++;
            if (firstClockViolation == null) firstClockViolation = new Violation(which, now, detail);
        } else if (first == null) {
            first = new Violation(which, now, detail);
        }
    }

    /** 1 and 3: a slot decides one value, forever, across every crash and restart. */
    void decided(int replica, long slot, Value value, long now) {
        Value had = decided.putIfAbsent(slot, value);
        if (had != null && !had.equals(value)) {
            String acked = ackedInSlot.get(slot);
            if (acked != null) {
                fail(Violation.Invariant.DURABILITY, now, "slot " + slot + " was acknowledged to " + acked
                    + " as " + had + " and is now decided " + value + " at replica " + replica);
            } else {
                fail(Violation.Invariant.AGREEMENT, now, "slot " + slot + " decided " + had + " and, at replica "
                    + replica + ", " + value);
            }
        }
    }

    /**
     * 1, as Paxos states it: a value is chosen once a quorum of acceptors accepted it at one ballot
     * (known from the Accepted replies that left after their sync); no slot may ever have two chosen
     * values, learned by anyone or not.
     */
    void sent(Message m, long now) {
        if (m instanceof Message.Accept a) {
            proposed.putIfAbsent(new Proposal(a.ballot(), a.slot()), a.value());
        } else if (m instanceof Message.Accepted a) {
            Proposal p = new Proposal(a.ballot(), a.slot());
            Set<Integer> by = acceptedBy.computeIfAbsent(p, k -> new HashSet<>());
            if (!by.add(a.from()) || !configuration.isQuorum(by)) return;
            Value v = proposed.get(p);
            Value had = chosen.putIfAbsent(a.slot(), v);
            if (had != null && !had.equals(v)) {
                fail(Violation.Invariant.AGREEMENT, now, "slot " + a.slot() + " had " + had + " chosen, and now a quorum "
                    + by + " accepted " + v + " at ballot " + a.ballot());
            }
        }
    }

    long maxDecided() {
        return decided.isEmpty() ? 0 : decided.lastKey();
    }

    /** 3: what a client was told is decided must be in the history at that slot. */
    void acknowledged(long clientId, Command c, long slot, long now) {
        Value v = decided.get(slot);
        boolean present = v instanceof Value.Batch b && b.commands().contains(c);
        if (!present) {
            fail(Violation.Invariant.DURABILITY, now, "client " + clientId + " was told " + c + " is in slot "
                + slot + ", which decided " + v);
        }
        ackedInSlot.put(slot, "client " + clientId);
    }

    /** 2: replicas that applied through the same slot hold the same state. */
    void applied(int replica, long slot, long digest, long now) {
        Long had = digestAtSlot.putIfAbsent(slot, digest);
        if (had != null && had != digest) {
            fail(Violation.Invariant.APPLIED_PREFIX, now, "replica " + replica + " applied through slot " + slot
                + " to a state that differs from another replica's at the same slot");
        }
    }

    /** 4: at most one replica believes it holds the master lease at any instant. */
    void leaseHolders(int count, String who, long now) {
        if (count > 1) fail(Violation.Invariant.SINGLE_LEASE, now, "two replicas hold a master lease: " + who);
    }

    /** 5: a read under the lease sees everything decided before it began. */
    void read(int replica, long appliedThrough, long now) {
        long known = maxDecided();
        if (appliedThrough < known) {
            fail(Violation.Invariant.LEASE_READ, now, "replica " + replica + " served a read at slot " + appliedThrough
                + " but slot " + known + " was already decided");
        }
    }
}
