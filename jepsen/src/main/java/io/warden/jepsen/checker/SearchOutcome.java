package io.warden.jepsen.checker;

import java.util.List;

/**
 * What {@link LinearizationSearch} found for one key: a verdict, the configurations it explored,
 * and for an invalid key where it got stuck.
 */
record SearchOutcome(Validity validity, long configurations, Stuck stuck) {

    /**
     * The deepest point of the search: after {@code prefixLength} ops were linearized (the last of
     * them {@code tail}, in order) leaving the register at {@code state}, the return of
     * {@code op} came before {@code op} could be placed.
     */
    record Stuck(RegisterOp op, int state, int prefixLength, List<RegisterOp> tail) {}

    static SearchOutcome valid(long configurations) {
        return new SearchOutcome(Validity.VALID, configurations, null);
    }

    static SearchOutcome invalid(long configurations, Stuck stuck) {
        return new SearchOutcome(Validity.INVALID, configurations, stuck);
    }

    static SearchOutcome unknown(long configurations) {
        return new SearchOutcome(Validity.UNKNOWN, configurations, null);
    }
}
