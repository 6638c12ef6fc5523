package io.warden.paxos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The slot map against a TreeMap doing the same things: same contents, same order, every step. */
class SlotMapTest {

    @Test
    void behavesAsASortedMapUnderRandomPutsAndCompactions() {
        for (long seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            SlotMap<String> slots = new SlotMap<>();
            TreeMap<Long, String> model = new TreeMap<>();
            long floor = 0;
            for (int step = 0; step < 5_000; step++) {
                int op = r.nextInt(100);
                if (op < 70) { // mostly near the front, sometimes far ahead, sometimes below the floor
                    long slot = op < 5 ? floor + r.nextInt(50 * SlotMap.CHUNK) : Math.max(0, floor - 5 + r.nextInt(3 * SlotMap.CHUNK));
                    slots.put(slot, "v" + step);
                    model.put(slot, "v" + step);
                } else if (op < 72) {
                    floor += r.nextInt(2 * SlotMap.CHUNK);
                    long through = floor - 1 - r.nextInt(3);
                    slots.removeThrough(through);
                    model.headMap(through, true).clear();
                } else {
                    long slot = Math.max(0, floor - 5 + r.nextInt(3 * SlotMap.CHUNK));
                    assertThat(slots.get(slot)).as("seed %d step %d slot %d", seed, step, slot).isEqualTo(model.get(slot));
                    assertThat(slots.containsKey(slot)).isEqualTo(model.containsKey(slot));
                }
                assertThat(slots.size()).as("seed %d step %d", seed, step).isEqualTo(model.size());
            }
            assertThat(slots.toTreeMap()).isEqualTo(model);
            long from = floor + r.nextInt(SlotMap.CHUNK);
            TreeMap<Long, String> tail = new TreeMap<>();
            slots.forEachFrom(from, tail::put);
            assertThat(tail).isEqualTo(model.tailMap(from, true));
        }
    }

    @Test
    void visitsInAscendingSlotOrderAcrossChunks() {
        SlotMap<Long> slots = new SlotMap<>();
        long[] keys = {5 * SlotMap.CHUNK + 3, 7, SlotMap.CHUNK - 1, SlotMap.CHUNK, 0, 99L * SlotMap.CHUNK};
        for (long k : keys) slots.put(k, k);
        StringBuilder seen = new StringBuilder();
        slots.forEach((slot, v) -> {
            assertThat(v).isEqualTo(slot);
            seen.append(slot).append(' ');
        });
        assertThat(seen.toString()).isEqualTo("0 7 1023 1024 5123 101376 ");
        slots.removeThrough(SlotMap.CHUNK);
        assertThat(slots.toTreeMap()).containsOnlyKeys(5L * SlotMap.CHUNK + 3, 99L * SlotMap.CHUNK);
    }

    @Test
    void refusesToStoreNullValuesOrNegativeSlots() {
        SlotMap<String> slots = new SlotMap<>();
        assertThatThrownBy(() -> slots.put(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> slots.put(-1, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(slots.isEmpty()).isTrue();
    }

    @Test
    void aNegativeSlotIsLookedUpAsAbsentNotRefused() {
        // A peer's message may name any slot; asking about one must not stop the replica's loop.
        SlotMap<String> slots = new SlotMap<>();
        slots.put(0, "zero");
        assertThat(slots.get(-1)).isNull();
        assertThat(slots.containsKey(-5)).isFalse();
        TreeMap<Long, String> all = new TreeMap<>();
        slots.forEachFrom(-3, all::put);
        assertThat(all).containsOnlyKeys(0L);
    }
}
