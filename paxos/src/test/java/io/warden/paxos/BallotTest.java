package io.warden.paxos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Ballot order: by round, then by replica id, so no two replicas ever share a ballot (Paxos Made Simple §2.2). */
class BallotTest {

    @ParameterizedTest(name = "{0}.{1} vs {2}.{3} -> {4}")
    @CsvSource({
        // round, id, round, id, sign of compareTo
        "0, 0, 0, 0,  0",
        "1, 1, 1, 1,  0",
        "1, 2, 1, 1,  1",
        "1, 1, 1, 2, -1",
        "2, 1, 1, 9,  1",
        "1, 9, 2, 1, -1",
        "0, 1, 0, 0,  1",
        "5, 3, 5, 3,  0",
        "9223372036854775807, 1, 9223372036854775806, 2, 1",
    })
    void ordersByRoundThenReplicaId(long r1, int id1, long r2, int id2, int sign) {
        Ballot a = new Ballot(r1, id1);
        Ballot b = new Ballot(r2, id2);
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(sign);
        assertThat(Integer.signum(b.compareTo(a))).isEqualTo(-sign);
        assertThat(a.isAbove(b)).isEqualTo(sign > 0);
        assertThat(a.isAtLeast(b)).isEqualTo(sign >= 0);
        assertThat(a.equals(b)).isEqualTo(sign == 0);
    }

    @ParameterizedTest(name = "above({0}.{1}) for replica {2} = {3}.{2}")
    @CsvSource({
        "0, 0, 1, 1",
        "0, 0, 3, 1",
        "4, 2, 1, 5",
        "4, 2, 3, 5",
        "4, 2, 2, 5",
        "7, 9, 1, 8",
    })
    void aboveIsTheNextRoundForTheCaller(long round, int id, int caller, long expectedRound) {
        Ballot other = new Ballot(round, id);
        Ballot next = Ballot.above(other, caller);
        assertThat(next).isEqualTo(new Ballot(expectedRound, caller));
        assertThat(next.isAbove(other)).isTrue();
    }

    @Test
    void zeroIsBelowEveryBallotAProposerUses() {
        for (int id = 1; id <= 9; id++) {
            assertThat(Ballot.above(Ballot.ZERO, id).isAbove(Ballot.ZERO)).isTrue();
            assertThat(new Ballot(0, id).isAtLeast(Ballot.ZERO)).isTrue();
        }
    }

    @Test
    void sortingAShuffledListGivesTheTotalOrder() {
        List<Ballot> ordered = new ArrayList<>();
        for (long round = 0; round < 5; round++) {
            for (int id = 1; id <= 5; id++) ordered.add(new Ballot(round, id));
        }
        List<Ballot> shuffled = new ArrayList<>(ordered);
        Collections.shuffle(shuffled, new Random(7));
        Collections.sort(shuffled);
        assertThat(shuffled).containsExactlyElementsOf(ordered);
    }

    @Test
    void compareToIsConsistentWithEquals() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 1_000; i++) {
            Ballot a = new Ballot(random.nextLong(3), random.nextInt(3));
            Ballot b = new Ballot(random.nextLong(3), random.nextInt(3));
            assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
            if (a.equals(b)) assertThat(a.hashCode()).isEqualTo(b.hashCode());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, -2, Long.MIN_VALUE})
    void negativeRoundsAreRejected(long round) {
        assertThatThrownBy(() -> new Ballot(round, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void printsAsRoundDotReplica() {
        assertThat(new Ballot(12, 3)).hasToString("12.3");
    }
}
