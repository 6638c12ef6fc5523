package io.warden.paxos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which messages may leave before the sync (Ongaro's Raft dissertation §10.2.1: the leader writes its log
 * in parallel with sending). A reply that reports a promise or an acceptance must wait for the write
 * it reports, or a crash could take back a vote a proposer already counted.
 */
class ReadyOrderTest {
    private static final Ballot B = new Ballot(3, 1);

    static Stream<Arguments> messages() {
        return Stream.of(
            Arguments.of(new Message.Prepare(1, 2, B, 5), true),
            Arguments.of(new Message.Accept(1, 2, B, 5, new Value.Noop(), 4), true),
            Arguments.of(new Message.LeaseRenew(1, 2, B, 7, 4), true),
            Arguments.of(new Message.CatchUpRequest(2, 1, 5), true),
            Arguments.of(new Message.CatchUp(1, 2, List.of()), true),
            Arguments.of(new Message.InstallSnapshot(1, 2, new Snapshot(4, new byte[0])), true),
            Arguments.of(new Message.Promise(2, 1, B, List.of(), 0), false),
            Arguments.of(new Message.Reject(2, 1, B, new Ballot(4, 3)), false),
            Arguments.of(new Message.Accepted(2, 1, B, 5), false),
            Arguments.of(new Message.LeaseGrant(2, 1, B, 7), false));
    }

    @ParameterizedTest(name = "{0} may precede the sync: {1}")
    @MethodSource("messages")
    void onlyRequestsMayLeaveBeforeTheSync(Message m, boolean early) {
        assertThat(Ready.mayPrecedeSync(m)).isEqualTo(early);
    }

    @Test
    void everyKindOfMessageIsClassified() {
        long kinds = Message.class.getPermittedSubclasses().length;
        assertThat(messages().count()).as("a new message type must be classified here").isEqualTo(kinds);
    }
}
