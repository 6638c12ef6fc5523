package io.warden.jepsen.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlHistoryTest {

    @Test
    void writesOneObjectPerLineWithJepsensFieldNames() {
        Op cas = new Op(3, OpType.OK, "cas", "r1", List.of(1L, 2L), 1_200_345);
        assertThat(JsonlHistoryWriter.toLine(cas))
                .isEqualTo("{\"process\":3,\"type\":\"ok\",\"f\":\"cas\",\"key\":\"r1\",\"value\":[1,2],\"time\":1200345}");
        Op read = new Op(0, OpType.INVOKE, "read", null, null, 0);
        assertThat(JsonlHistoryWriter.toLine(read))
                .isEqualTo("{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":null,\"value\":null,\"time\":0}");
        Op lost = new Op(2, OpType.INFO, "acquire", "l", null, 9, 77L, "timeout");
        assertThat(JsonlHistoryWriter.toLine(lost)).endsWith(",\"time\":9,\"session\":77,\"error\":\"timeout\"}");
    }

    @Test
    void roundTripsThroughAFile(@TempDir Path dir) throws Exception {
        List<Op> history = new TestHistory()
                .invoke(0, Functions.ACQUIRE, "lock-a", null, 5L).ok(0, 12L)
                .invoke(1, Functions.CAS, "r", List.of("x", "y")).info(1)
                .invoke(2, Functions.MEMBERS, "g", null).ok(2, List.of("m1", "m2"))
                .invoke(0, Functions.WRITE, "lock-a", Map.of("token", 12L, "ok", true), 5L).fail(0)
                .invoke(3, Functions.READ, "r", null)
                .ops();
        Path file = dir.resolve("history.jsonl");
        JsonlHistoryWriter.write(file, history);
        assertThat(Files.readAllLines(file)).hasSize(history.size());
        assertThat(JsonlHistoryReader.read(file)).isEqualTo(history);
    }

    @Test
    void streamsAsARecorderSink(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.jsonl");
        HistoryRecorder r;
        try (JsonlHistoryWriter sink = JsonlHistoryWriter.create(file)) {
            r = new HistoryRecorder(System::nanoTime, sink);
            r.invoke(0, Functions.READ, "x", null);
            assertThat(JsonlHistoryReader.read(file)).hasSize(1); // flushed as written
            r.ok(0, null);
        }
        assertThat(JsonlHistoryReader.read(file)).isEqualTo(r.history());
    }

    @Test
    void readsForeignLinesIgnoringExtraFields() throws Exception {
        String jepsen = "{\"index\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":3,\"process\":1,\"time\":10}\n"
                + "\n"
                + "{\"index\":1,\"type\":\"ok\",\"f\":\"write\",\"value\":3,\"process\":1,\"time\":20,\"node\":\"n1\"}\n";
        List<Op> ops = JsonlHistoryReader.read(new StringReader(jepsen));
        assertThat(ops).containsExactly(
                new Op(1, OpType.INVOKE, "write", null, 3L, 10),
                new Op(1, OpType.OK, "write", null, 3L, 20));
    }

    @Test
    void aBadLineNamesItsNumber() {
        String text = "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"time\":1}\n{\"process\":0,\"type\":\"done\",\"f\":\"read\",\"time\":2}\n";
        assertThatThrownBy(() -> JsonlHistoryReader.read(new StringReader(text)))
                .hasMessageContaining("line 2").hasMessageContaining("done");
        assertThatThrownBy(() -> JsonlHistoryReader.parseLine("{\"type\":\"ok\",\"f\":\"read\",\"time\":1}", 7))
                .hasMessageContaining("line 7").hasMessageContaining("process");
        assertThatThrownBy(() -> JsonlHistoryReader.parseLine("{\"process\":1,\"type\":\"ok\",\"f\":\"read\",\"time\":1.5}", 1))
                .hasMessageContaining("time");
    }
}
