package io.warden.paxos.sim;

import io.warden.leases.MonotonicClock;
import java.util.function.LongSupplier;

/**
 * One replica's clock in the simulation: its own offset and a rate that differs from real
 * (simulated) time, within the drift bound unless the run breaks it on purpose.
 */
final class SimClock implements MonotonicClock {
    private final LongSupplier simNow;
    private final long offsetMillis;
    private final double rate;

    SimClock(LongSupplier simNow, long offsetMillis, double rate) {
        this.simNow = simNow;
        this.offsetMillis = offsetMillis;
        this.rate = rate;
    }

    @Override
    public long nowMillis() {
        return offsetMillis + (long) Math.floor(rate * simNow.getAsLong());
    }

    double rate() {
        return rate;
    }
}
