package io.warden.paxos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exactly-once table: a retry (same client id and sequence) gets the first outcome back and is
 * never applied twice; bounds evict deterministically, so every replica forgets the same entries.
 */
class ExactlyOnceTest {

    private static Command cmd(long client, long sequence) {
        return new Command(client, sequence, ("c" + client + "s" + sequence).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] result(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownCommandIsNew() {
        ExactlyOnce table = new ExactlyOnce(4, 4);
        assertThat(table.lookup(cmd(1, 1))).isSameAs(ExactlyOnce.Outcome.NEW);
        table.record(1, cmd(1, 1), result("r1"));
        assertThat(table.lookup(cmd(1, 2)).seen()).isFalse();
        assertThat(table.lookup(cmd(2, 1)).seen()).isFalse();
    }

    @Test
    void aDuplicateReturnsTheFirstResult() {
        // Rule: a retried command is answered with its first outcome (Chubby's at-most-once per session).
        ExactlyOnce table = new ExactlyOnce(4, 4);
        table.record(3, cmd(1, 1), result("first"));
        ExactlyOnce.Outcome o = table.lookup(new Command(1, 1, result("a retry with another payload")));
        assertThat(o.seen()).isTrue();
        assertThat(o.tooOld()).isFalse();
        assertThat(o.result()).isEqualTo(result("first"));
    }

    @Test
    void clientZeroIsNeverDeduplicated() {
        ExactlyOnce table = new ExactlyOnce(4, 4);
        table.record(1, cmd(0, 1), result("x"));
        assertThat(table.lookup(cmd(0, 1))).isSameAs(ExactlyOnce.Outcome.NEW);
        assertThat(table.clientCount()).isZero();
    }

    @ParameterizedTest(name = "perClient={0}: after sequences 1..{1}, sequence {2} is {3}")
    @CsvSource({
        "2, 3, 1, TOO_OLD",
        "2, 3, 2, DUPLICATE",
        "2, 3, 3, DUPLICATE",
        "2, 3, 4, NEW",
        "1, 5, 4, TOO_OLD",
        "1, 5, 5, DUPLICATE",
        "3, 3, 1, DUPLICATE",
        "3, 10, 7, TOO_OLD",
        "3, 10, 8, DUPLICATE",
    })
    void eachClientKeepsItsNewestOutcomesAndRefusesOlderOnes(int perClient, int recorded, long probe, String expected) {
        ExactlyOnce table = new ExactlyOnce(perClient, 8);
        for (long s = 1; s <= recorded; s++) table.record(s, cmd(7, s), result("r" + s));
        ExactlyOnce.Outcome o = table.lookup(cmd(7, probe));
        String got = !o.seen() ? "NEW" : o.tooOld() ? "TOO_OLD" : "DUPLICATE";
        assertThat(got).isEqualTo(expected);
        if (got.equals("DUPLICATE")) assertThat(o.result()).isEqualTo(result("r" + probe));
        if (got.equals("TOO_OLD")) assertThat(o.result()).isNull();
    }

    @Test
    void aSequenceBelowTheForgottenOnesIsRefusedEvenIfNeverSeen() {
        ExactlyOnce table = new ExactlyOnce(2, 8);
        for (long s : new long[] {5, 6, 7}) table.record(s, cmd(1, s), result("r"));
        assertThat(table.lookup(cmd(1, 3)).tooOld()).isTrue(); // older than anything on record
    }

    @Test
    void theClientIdleLongestIsForgottenFirst() {
        ExactlyOnce table = new ExactlyOnce(4, 2);
        table.record(1, cmd(1, 1), result("a"));
        table.record(2, cmd(2, 1), result("b"));
        table.record(3, cmd(1, 2), result("a2"));   // client 1 is active again: client 2 is now the idlest
        table.record(4, cmd(3, 1), result("c"));
        assertThat(table.clientCount()).isEqualTo(2);
        assertThat(table.lookup(cmd(2, 1)).seen()).as("client 2 evicted").isFalse();
        assertThat(table.lookup(cmd(1, 1)).seen()).isTrue();
        assertThat(table.lookup(cmd(3, 1)).seen()).isTrue();
    }

    @Test
    void clientsActiveInTheSameSlotAreEvictedInOrderOfApplication() {
        // Several commands of one batch share a slot: the order they were applied in decides, on every replica alike.
        ExactlyOnce table = new ExactlyOnce(4, 2);
        table.record(10, cmd(9, 1), result("x"));
        table.record(10, cmd(4, 1), result("x"));
        table.record(10, cmd(6, 1), result("x"));
        assertThat(table.lookup(cmd(9, 1)).seen()).isFalse();
        assertThat(table.lookup(cmd(4, 1)).seen()).isTrue();
        assertThat(table.lookup(cmd(6, 1)).seen()).isTrue();
    }

    @Test
    void evictionIsTheSameOnEveryReplicaThatRecordsTheSameSlots() throws IOException {
        ExactlyOnce a = new ExactlyOnce(3, 5);
        ExactlyOnce b = new ExactlyOnce(3, 5);
        for (long slot = 1; slot <= 200; slot++) {
            Command c = cmd(1 + (slot * 7919) % 13, slot);
            a.record(slot, c, result("r" + slot));
            b.record(slot, c, result("r" + slot));
        }
        assertThat(bytes(a)).isEqualTo(bytes(b));
    }

    @Test
    void writeAndReadRoundTripTheTable() throws IOException {
        ExactlyOnce table = new ExactlyOnce(2, 3);
        table.record(1, cmd(1, 1), result("a1"));
        table.record(2, cmd(1, 2), result("a2"));
        table.record(3, cmd(1, 3), result("a3"));   // forgets 1:1
        table.record(4, cmd(2, 1), result("b1"));
        table.record(5, cmd(3, 9), new byte[0]);

        ExactlyOnce copy = new ExactlyOnce(2, 3);
        copy.record(1, cmd(8, 8), result("to be replaced"));
        copy.readFrom(new DataInputStream(new ByteArrayInputStream(bytes(table))));
        assertThat(bytes(copy)).isEqualTo(bytes(table));
        assertThat(copy.clientCount()).isEqualTo(3);

        // The activity order travelled too: the next new client evicts client 1 in both.
        table.record(6, cmd(4, 1), result("d"));
        copy.record(6, cmd(4, 1), result("d"));
        assertThat(bytes(copy)).isEqualTo(bytes(table));
        assertThat(copy.lookup(cmd(8, 8)).seen()).isFalse();
        assertThat(copy.lookup(cmd(1, 3)).seen()).isFalse();
        assertThat(copy.lookup(cmd(3, 9)).seen()).isTrue();
        assertThat(copy.lookup(cmd(2, 1)).result()).isEqualTo(result("b1"));
    }

    @Test
    void aRestoredTableAnswersRetriesLikeTheOriginal() throws IOException {
        ExactlyOnce table = new ExactlyOnce(2, 3);
        table.record(1, cmd(1, 1), result("a1"));
        table.record(2, cmd(1, 2), result("a2"));
        table.record(3, cmd(1, 3), result("a3"));   // forgets 1:1
        ExactlyOnce copy = new ExactlyOnce(2, 3);
        copy.readFrom(new DataInputStream(new ByteArrayInputStream(bytes(table))));
        assertThat(copy.lookup(cmd(1, 1)).tooOld()).isTrue();
        assertThat(copy.lookup(cmd(1, 3)).result()).isEqualTo(result("a3"));
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> new ExactlyOnce(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExactlyOnce(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] bytes(ExactlyOnce table) {
        return WireCodec.encode(table::writeTo);
    }

    @Test
    void sequencesRecordedOutOfOrderKeepTheNewestAsASortedTableWould() {
        // A client's concurrent commands can be applied in any order: what is kept and what is
        // refused depends on the sequences, not on the order they came in.
        java.util.Random r = new java.util.Random(42);
        ExactlyOnce table = new ExactlyOnce(8, 4);
        java.util.TreeMap<Long, String> kept = new java.util.TreeMap<>();
        long forgottenBelow = 0;
        for (int i = 0; i < 2_000; i++) {
            long s = i + r.nextInt(20);
            if (kept.containsKey(s) || s < forgottenBelow) continue;
            table.record(i, cmd(5, s), result("r" + s));
            kept.put(s, "r" + s);
            while (kept.size() > 8) forgottenBelow = Math.max(forgottenBelow, kept.pollFirstEntry().getKey() + 1);
            long probe = Math.max(0, s - 25 + r.nextInt(30));
            ExactlyOnce.Outcome o = table.lookup(cmd(5, probe));
            if (kept.containsKey(probe)) {
                assertThat(o.result()).as("step %d probe %d", i, probe).isEqualTo(result(kept.get(probe)));
            } else {
                assertThat(o.tooOld()).as("step %d probe %d", i, probe).isEqualTo(probe < forgottenBelow);
                assertThat(o.seen()).isEqualTo(probe < forgottenBelow);
            }
        }
    }
}
