package io.warden.jepsen.checker;

import static io.warden.jepsen.history.Functions.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.jepsen.history.TestHistory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckResultJsonTest {

    @Test
    void serializesWithJepsensValidityAndReadsBack() {
        TestHistory h = new TestHistory()
                .at(10).invoke(1, WRITE, "L", 2, 2).at(11).ok(1)
                .at(20).invoke(0, WRITE, "L", 1, 1).at(21).ok(0);
        CheckResult result = new LockChecker().check(h.ops());
        String json = ResultJson.toJson(result);
        assertThat(json).contains("\"checker\" : \"lock\"", "\"valid\" : false", "\"kind\" : \"stale-write\"",
                "\"process\" : 1", "\"type\" : \"invoke\"", "\"f\" : \"write\"", "\"anomalies-stale-write\" : 1",
                "\"ok\" : 2");
        assertThat(ResultJson.fromJson(json)).isEqualTo(result);
    }

    @Test
    void unknownIsAStringAndNeedsNoAnomaly() {
        CheckResult unknown = new CheckResult("linearizability", Validity.UNKNOWN, new OpCounts(0, 0, 0, 0, 0),
                List.of(), Map.of(), List.of("budget exhausted"));
        assertThat(ResultJson.toJson(unknown)).contains("\"valid\" : \"unknown\"");
        assertThat(ResultJson.fromJson(ResultJson.toJson(unknown))).isEqualTo(unknown);
        assertThat(ResultJson.toJson(List.of(unknown))).startsWith("[");
    }

    @Test
    void validityMustMatchTheAnomalies() {
        assertThatThrownBy(() -> new CheckResult("x", Validity.INVALID, new OpCounts(0, 0, 0, 0, 0),
                List.of(), Map.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
