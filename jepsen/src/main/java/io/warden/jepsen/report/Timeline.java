package io.warden.jepsen.report;

import io.warden.jepsen.history.Call;
import io.warden.jepsen.history.History;
import io.warden.jepsen.history.Op;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code timeline.html}: one lane per history process (the nemesis first), each operation a
 * bar from its invoke to its completion coloured by outcome ({@code ok}, {@code fail},
 * {@code info}, or still pending when the history ended), with the op's details as a tooltip, and
 * every fault window shaded across all lanes. Plain HTML and inline SVG; no script, no dependency.
 * Beyond {@link #MAX_CALLS} operations only the first are drawn (the page says so).
 */
public final class Timeline {
    static final int MAX_CALLS = 60_000;
    private static final int LANE = 14;
    private static final int LEFT = 70;
    private static final int TOP = 40;

    private Timeline() {}

    /** Writes the timeline of {@code history} to {@code file}, titled {@code title}. */
    public static void write(Path file, String title, List<Op> history, List<FaultWindow> faults) throws IOException {
        List<Call> calls = History.calls(history);
        long end = Math.max(1, history.isEmpty() ? 1 : history.get(history.size() - 1).time());
        double seconds = end / 1e9;
        double pxPerSecond = Math.max(20, Math.min(200, 2000 / seconds));
        Map<Integer, Integer> lanes = new LinkedHashMap<>();
        for (Call c : calls) {
            if (FaultWindows.isNemesisOp(c.invoke())) {
                lanes.putIfAbsent(c.process(), lanes.size());
            }
        }
        for (Call c : calls) {
            lanes.putIfAbsent(c.process(), lanes.size());
        }
        int width = LEFT + (int) Math.ceil(seconds * pxPerSecond) + 40;
        int height = TOP + lanes.size() * LANE + 20;
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title>\n");
            out.write("<style>body{font-family:sans-serif;font-size:13px} .legend span{display:inline-block;"
                    + "padding:1px 6px;margin-right:6px} svg text{font-size:10px;font-family:monospace}</style>"
                    + "</head><body>\n");
            out.write("<h2>" + esc(title) + "</h2>\n<p class=\"legend\">");
            for (String t : List.of("ok", "fail", "info", "pending")) {
                out.write("<span style=\"background:" + Palette.css(Palette.TYPES.get(t)) + "\">" + t + "</span>");
            }
            for (Map.Entry<String, java.awt.Color> f : Palette.FAULTS.entrySet()) {
                out.write("<span style=\"background:" + Palette.css(f.getValue()) + ";opacity:0.5\">" + f.getKey()
                        + "</span>");
            }
            out.write("</p>\n<p>" + calls.size() + " operations by " + lanes.size() + " processes over "
                    + String.format(Locale.ROOT, "%.1f", seconds) + " s; " + faults.size()
                    + " fault windows shaded. Hover over an operation for its details.</p>\n");
            if (calls.size() > MAX_CALLS) {
                out.write("<p><b>Only the first " + MAX_CALLS + " operations are drawn.</b></p>\n");
            }
            out.write("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height + "\">\n");
            writeAxis(out, seconds, pxPerSecond, height);
            for (FaultWindow w : faults) {
                double x0 = LEFT + w.startNanos() / 1e9 * pxPerSecond;
                double x1 = LEFT + w.endNanos() / 1e9 * pxPerSecond;
                out.write(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" fill-opacity=\"0.18\">"
                                + "<title>%s</title></rect><text x=\"%.1f\" y=\"%d\" fill=\"%s\">%s</text>\n",
                        x0, TOP, Math.max(1, x1 - x0), lanes.size() * LANE, Palette.css(Palette.fault(w.kind())),
                        esc("fault " + w.fault() + ": " + w.kind() + " " + w.description() + " (" + w.millis() + " ms)"),
                        x0 + 2, TOP - 4, Palette.css(Palette.fault(w.kind())), esc(w.kind())));
            }
            for (Map.Entry<Integer, Integer> lane : lanes.entrySet()) {
                out.write("<text x=\"2\" y=\"" + (TOP + lane.getValue() * LANE + 10) + "\">p" + lane.getKey() + "</text>\n");
            }
            int drawn = 0;
            for (Call c : calls) {
                if (drawn++ >= MAX_CALLS) {
                    break;
                }
                writeCall(out, c, lanes.get(c.process()), pxPerSecond, end);
            }
            out.write("</svg>\n</body></html>\n");
        }
    }

    private static void writeAxis(Writer out, double seconds, double pxPerSecond, int height) throws IOException {
        int step = seconds <= 30 ? 1 : seconds <= 120 ? 5 : seconds <= 600 ? 10 : 30;
        for (int s = 0; s <= seconds; s += step) {
            double x = LEFT + s * pxPerSecond;
            out.write(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"12\">%ds</text>\n", x, 16, x, height - 20, x + 2, s));
        }
    }

    private static void writeCall(Writer out, Call c, int lane, double pxPerSecond, long end) throws IOException {
        String outcome = c.completion() == null ? "pending" : c.completion().type().wireName();
        long to = c.completion() == null ? end : c.completion().time();
        double x0 = LEFT + c.start() / 1e9 * pxPerSecond;
        double w = Math.max(2, (to - c.start()) / 1e9 * pxPerSecond);
        StringBuilder tip = new StringBuilder();
        tip.append("process ").append(c.process()).append(": ").append(c.f());
        if (c.key() != null) {
            tip.append(' ').append(c.key());
        }
        if (c.invoke().value() != null) {
            tip.append(' ').append(c.invoke().value());
        }
        tip.append(" -> ").append(outcome);
        if (c.completion() != null) {
            if (c.completion().value() != null && !(c.completion().value().equals(c.invoke().value()))) {
                tip.append(' ').append(c.completion().value());
            }
            if (c.completion().error() != null) {
                tip.append(" (").append(c.completion().error()).append(')');
            }
        }
        if (c.session() != null) {
            tip.append(" [session ").append(c.session()).append(']');
        }
        tip.append(String.format(Locale.ROOT, " at %.3f s, %.1f ms", c.start() / 1e9, (to - c.start()) / 1e6));
        List<String> parts = new ArrayList<>();
        parts.add(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">",
                x0, TOP + lane * LANE + 1, w, LANE - 2, Palette.css(Palette.TYPES.get(outcome))));
        parts.add("<title>" + esc(tip.toString()) + "</title></rect>\n");
        for (String p : parts) {
            out.write(p);
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
