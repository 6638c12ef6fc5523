package io.warden.leases;

/**
 * The assumed bound ε on clock <em>rate</em> drift: every replica's and client's clock runs at a
 * rate within [1−ε, 1+ε] of real time. Lease safety rests on this bound and on nothing else (no
 * bound on message delay); agreement does not rest on it at all.
 */
public record DriftBound(double epsilon) {
    public DriftBound {
        if (!(epsilon >= 0.0 && epsilon < 0.5)) {
            throw new IllegalArgumentException("drift bound epsilon must be in [0, 0.5), got " + epsilon);
        }
    }

    /** ε = 1 %: far above what NTP-disciplined or even free-running quartz clocks drift. */
    public static DriftBound standard() {
        return new DriftBound(0.01);
    }
}
