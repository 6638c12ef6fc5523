package io.warden.jepsen.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdnHistoryWriterTest {

    @Test
    void writesTheJepsenShape() {
        assertThat(EdnHistoryWriter.toLine(new Op(3, OpType.INVOKE, "write", "r1", 5L, 123)))
                .isEqualTo("{:type :invoke, :f :write, :process 3, :value 5, :time 123, :key \"r1\"}");
        assertThat(EdnHistoryWriter.toLine(new Op(3, OpType.OK, "cas", "r1", List.of(1L, 2L), 130)))
                .isEqualTo("{:type :ok, :f :cas, :process 3, :value [1 2], :time 130, :key \"r1\"}");
        assertThat(EdnHistoryWriter.toLine(new Op(0, OpType.OK, "read", null, null, 7)))
                .isEqualTo("{:type :ok, :f :read, :process 0, :value nil, :time 7, :key nil}");
    }

    @Test
    void writesExtrasAndEscapesStrings() {
        Op op = new Op(1, OpType.INFO, "session-expired", "a \"quoted\"\nkey\\", Map.of("held", List.of("l1", true)),
                9, 42L, "timed out");
        assertThat(EdnHistoryWriter.toLine(op)).isEqualTo("{:type :info, :f :session-expired, :process 1, "
                + ":value {\"held\" [\"l1\" true]}, :time 9, :key \"a \\\"quoted\\\"\\nkey\\\\\", :session 42, "
                + ":error \"timed out\"}");
    }

    @Test
    void writesOneMapPerLine(@TempDir Path dir) throws Exception {
        List<Op> history = new TestHistory().invoke(0, Functions.READ, "x", null).ok(0, 1L).ops();
        Path file = dir.resolve("history.edn");
        EdnHistoryWriter.write(file, history);
        assertThat(Files.readAllLines(file)).containsExactly(
                "{:type :invoke, :f :read, :process 0, :value nil, :time 0, :key \"x\"}",
                "{:type :ok, :f :read, :process 0, :value 1, :time 1, :key \"x\"}");
    }
}
