package io.warden.paxos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Quorums are majorities of the members; voters who are not members never count (Paxos Made Simple §2.2). */
class ConfigurationTest {

    static Stream<Arguments> quorums() {
        return Stream.of(
            // members, voters, is a quorum
            Arguments.of(List.of(1), List.of(), false),
            Arguments.of(List.of(1), List.of(1), true),
            Arguments.of(List.of(1), List.of(2), false),
            Arguments.of(List.of(1), List.of(2, 3, 4), false),
            Arguments.of(List.of(1, 2, 3), List.of(1), false),
            Arguments.of(List.of(1, 2, 3), List.of(1, 2), true),
            Arguments.of(List.of(1, 2, 3), List.of(3, 1), true),
            Arguments.of(List.of(1, 2, 3), List.of(1, 2, 3), true),
            Arguments.of(List.of(1, 2, 3), List.of(1, 1), false),          // one voter counted once
            Arguments.of(List.of(1, 2, 3), List.of(1, 4), false),          // 4 is not a member
            Arguments.of(List.of(1, 2, 3), List.of(4, 5, 6), false),       // a majority of strangers is nothing
            Arguments.of(List.of(1, 2, 3), List.of(4, 5, 6, 2, 3), true),
            Arguments.of(List.of(1, 2, 3, 4, 5), List.of(1, 2), false),
            Arguments.of(List.of(1, 2, 3, 4, 5), List.of(1, 2, 3), true),
            Arguments.of(List.of(1, 2, 3, 4, 5), List.of(5, 4, 3), true),
            Arguments.of(List.of(1, 2, 3, 4, 5), List.of(1, 2, 6, 7, 8), false),
            Arguments.of(List.of(1, 2, 3, 4, 5), List.of(1, 2, 2, 2, 9), false),
            Arguments.of(List.of(1, 2, 3, 4, 5), List.of(1, 2, 3, 4, 5), true),
            Arguments.of(List.of(2, 4), List.of(2), false),                // even: a half is not a majority
            Arguments.of(List.of(2, 4), List.of(2, 4), true));
    }

    @ParameterizedTest(name = "members {0}, voters {1} -> {2}")
    @MethodSource("quorums")
    void aQuorumIsAMajorityOfDistinctMembers(List<Integer> members, List<Integer> voters, boolean quorum) {
        assertThat(new Configuration(members).isQuorum(voters)).isEqualTo(quorum);
    }

    static Stream<Arguments> sizes() {
        return Stream.of(
            Arguments.of(List.of(7), 1),
            Arguments.of(List.of(1, 2), 2),
            Arguments.of(List.of(1, 2, 3), 2),
            Arguments.of(List.of(1, 2, 3, 4), 3),
            Arguments.of(List.of(1, 2, 3, 4, 5), 3),
            Arguments.of(List.of(1, 2, 3, 4, 5, 6, 7), 4));
    }

    @ParameterizedTest(name = "{0} -> quorum of {1}")
    @MethodSource("sizes")
    void quorumSizeIsAMajority(List<Integer> members, int size) {
        Configuration c = new Configuration(members);
        assertThat(c.quorumSize()).isEqualTo(size);
        // Any two quorums intersect: that is the whole point.
        assertThat(2 * c.quorumSize()).isGreaterThan(members.size());
        assertThat(c.isQuorum(members.subList(0, size))).isTrue();
        assertThat(c.isQuorum(members.subList(0, size - 1))).isFalse();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
            Arguments.of(List.of()),
            Arguments.of(List.of(1, 1)),
            Arguments.of(List.of(1, 2, 3, 2)),
            Arguments.of(List.of(0)),
            Arguments.of(List.of(1, 0, 2)),
            Arguments.of(List.of(-3, 1, 2)),
            Arguments.of(List.of(Integer.MIN_VALUE)));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @MethodSource("invalid")
    void invalidMemberSetsAreRejected(List<Integer> members) {
        assertThatThrownBy(() -> new Configuration(members)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void membersAreSortedAndImmutable() {
        List<Integer> ids = new ArrayList<>(Arrays.asList(5, 1, 3));
        Configuration c = new Configuration(ids);
        ids.add(9);
        assertThat(c.members()).containsExactly(1, 3, 5);
        assertThat(c).isEqualTo(Configuration.of(3, 5, 1));
        assertThat(c.contains(3)).isTrue();
        assertThat(c.contains(9)).isFalse();
        assertThatThrownBy(() -> c.members().add(7)).isInstanceOf(UnsupportedOperationException.class);
    }
}
