package io.warden.jepsen.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.jepsen.history.HistoryRecorder;
import io.warden.jepsen.history.Op;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault windows read back from a history, and the timeline and plots drawn from it. */
class ReportTest {

    /** A history on a manual clock: a client's ops around a kill, and a partition never healed. */
    private static List<Op> history() {
        long[] now = {0};
        HistoryRecorder r = new HistoryRecorder(() -> now[0], op -> {});
        int nemesis = r.newProcess();
        int client = r.newProcess();
        now[0] = 1_000_000_000L;
        r.invoke(client, "acquire", "/l", null, 3L);
        now[0] = 1_100_000_000L;
        r.ok(client, 7L);
        r.invoke(nemesis, "kill", null, Map.of("fault", 1));
        now[0] = 1_200_000_000L;
        r.ok(nemesis, Map.of("fault", 1, "replica", 2));
        r.invoke(client, "write", "/l", 7L, 3L);
        now[0] = 1_300_000_000L;
        r.fail(client, "fenced");
        now[0] = 3_000_000_000L;
        r.invoke(nemesis, "restart", null, Map.of("fault", 1));
        now[0] = 3_500_000_000L;
        r.ok(nemesis, Map.of("fault", 1, "restarted", true));
        r.invoke(nemesis, "start-partition", null, Map.of("fault", 2));
        r.ok(nemesis, Map.of("fault", 2, "mode", "halves"));
        r.invoke(client, "release", "/l", 7L, 3L);
        now[0] = 4_000_000_000L;
        r.info(client, "no answer");
        return r.history();
    }

    @Test
    void windowsPairStartAndStopByFaultNumber() {
        List<FaultWindow> w = FaultWindows.of(history());
        assertThat(w).hasSize(2);
        assertThat(w.get(0).kind()).isEqualTo("kill");
        assertThat(w.get(0).startNanos()).isEqualTo(1_100_000_000L);
        assertThat(w.get(0).endNanos()).isEqualTo(3_500_000_000L);
        assertThat(w.get(0).description()).containsEntry("replica", 2L);
        assertThat(w.get(1).kind()).isEqualTo("partition");
        assertThat(w.get(1).endNanos()).as("never healed: until the history ends").isEqualTo(4_000_000_000L);
    }

    @Test
    void timelineShadesFaultsAndDrawsEveryOperation(@TempDir Path dir) throws Exception {
        List<Op> h = history();
        Path file = dir.resolve("timeline.html");
        Timeline.write(file, "test <run>", h, FaultWindows.of(h));
        String html = Files.readString(file);
        assertThat(html).contains("<svg", "test &lt;run&gt;", "fault 1: kill", "fault 2: partition",
                "process 1: acquire /l -&gt; ok 7", "release /l 7 -&gt; info (no answer)");
        assertThat(html.split("<rect ", -1)).hasSize(1 + 2 + 6); // 2 windows, 6 calls (3 client, 3 nemesis)
    }

    @Test
    void plotsArePngsWithTheFaultsShaded(@TempDir Path dir) throws Exception {
        List<Op> h = history();
        Plots.write(dir, "test", h, FaultWindows.of(h));
        for (String name : List.of("latency.png", "throughput.png")) {
            BufferedImage png = ImageIO.read(dir.resolve(name).toFile());
            assertThat(png.getWidth()).isEqualTo(1200);
            // A pixel inside the kill window (1.1 s to 3.5 s of 4 s), away from any curve, is tinted.
            int x = (int) (70 + 2.5 / 4.0 * (1200 - 70 - 20));
            int rgb = png.getRGB(x, 300) & 0xFFFFFF;
            assertThat(rgb).as(name + " shaded at x=" + x).isNotEqualTo(0xFFFFFF);
        }
    }
}
