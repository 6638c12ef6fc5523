package io.warden.leases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeaseTermsTest {

    @ParameterizedTest(name = "D={0} eps={1}: holder {2} ms, grantor {3} ms")
    @CsvSource({
        "10000, 0.0,   9999,  10001",
        "10000, 0.01,  9899,  10101",
        "2000,  0.01,  1979,  2021",
        "2000,  0.05,  1899,  2101",
        "1,     0.01,  0,     3",
    })
    void holderShortensAndGrantorLengthens(long duration, double eps, long holder, long grantor) {
        LeaseTerms terms = new LeaseTerms(duration, new DriftBound(eps));
        assertThat(terms.holderMillis()).isEqualTo(holder);
        assertThat(terms.grantorMillis()).isEqualTo(grantor);
        assertThat(terms.forgottenGrantWaitMillis()).isEqualTo(grantor);
    }

    /**
     * The safety argument, checked numerically at the extremes of the bound: the holder's clock runs
     * slowest (its lease lasts longest in real time), the grantor's fastest, and the grant comes with
     * zero delay after the send. The holder's lease must still end no later in real time.
     */
    @ParameterizedTest(name = "D={0} eps={1}")
    @CsvSource({"10000, 0.01", "2000, 0.01", "2000, 0.1", "500, 0.3", "12000, 0.0"})
    void holderEndsBeforeGrantorAtWorstDrift(long duration, double eps) {
        LeaseTerms terms = new LeaseTerms(duration, new DriftBound(eps));
        double holderRealEnd = terms.holderMillis() / (1.0 - eps);
        double grantorRealEnd = terms.grantorMillis() / (1.0 + eps);
        assertThat(holderRealEnd).isLessThan(grantorRealEnd);
    }

    @ParameterizedTest
    @CsvSource({"100, 1000, 1099", "0, 50, 999"})
    void expiriesAreCountedFromTheRightInstant(long sentAt, long grantedAt, long holderEnd) {
        LeaseTerms terms = new LeaseTerms(1000, new DriftBound(0.0));
        assertThat(terms.holderExpiresAt(sentAt)).isEqualTo(holderEnd);
        assertThat(terms.grantorExpiresAt(grantedAt)).isEqualTo(grantedAt + 1001);
    }

    @ParameterizedTest
    @CsvSource({"0", "-5"})
    void rejectsNonPositiveDuration(long duration) {
        assertThatThrownBy(() -> new LeaseTerms(duration, DriftBound.standard()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
    }

    @ParameterizedTest
    @CsvSource({"-0.1", "0.5", "1.0", "NaN"})
    void rejectsDriftOutsideRange(double eps) {
        assertThatThrownBy(() -> new DriftBound(eps)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"1000, 999, true, 1", "1000, 1000, false, 0", "1000, 5000, false, 0"})
    void deadlineHoldsStrictlyBefore(long at, long now, boolean holds, long remaining) {
        Deadline d = new Deadline(at);
        assertThat(d.holdsAt(now)).isEqualTo(holds);
        assertThat(d.remainingMillis(now)).isEqualTo(remaining);
        assertThat(Deadline.NONE.holdsAt(now)).isFalse();
        assertThat(d.extendTo(new Deadline(at - 1))).isEqualTo(d);
        assertThat(d.extendTo(new Deadline(at + 1))).isEqualTo(new Deadline(at + 1));
    }
}
