package io.warden.server.cell;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the retained window from any index, near its start or near its end, with any max. */
class EventLogTest {

    @Test
    void readsFromEveryIndexWithEveryMax() {
        EventLog log = new EventLog(50);
        for (int i = 0; i < 80; i++) log.append("lock-acquired", "/l", null, null, 1L, (long) i, null, null, i);
        assertThat(log.firstRetained()).isEqualTo(31);
        for (long from = 25; from <= 82; from++) {
            for (int max : new int[] {0, 1, 3, 20, 100}) {
                List<Event> got = log.from(from, max);
                long start = Math.max(from, 31);
                long expected = Math.max(0, Math.min(max, 80 - start + 1));
                assertThat(got).as("from %d max %d", from, max).hasSize((int) expected);
                for (int k = 0; k < got.size(); k++) assertThat(got.get(k).index()).isEqualTo(start + k);
            }
        }
    }
}
