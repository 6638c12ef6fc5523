package io.warden.jepsen.report;

import io.warden.jepsen.history.Call;
import io.warden.jepsen.history.History;
import io.warden.jepsen.history.Op;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Writes {@code latency.png} (each client operation's latency against when it was invoked, on a log
 * scale, coloured by outcome) and {@code throughput.png} (completions per second over time, per
 * outcome), both with every fault window shaded and labelled. Java2D on a headless JVM; if this JVM
 * has no fonts, the plots are drawn without their labels rather than not at all.
 */
public final class Plots {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 520;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final List<String> TYPES = List.of("ok", "fail", "info");

    private Plots() {}

    /** Both plots, into {@code dir}. */
    public static void write(Path dir, String title, List<Op> history, List<FaultWindow> faults) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        List<Call> calls = new ArrayList<>();
        for (Call c : History.calls(history)) {
            if (!FaultWindows.isNemesisOp(c.invoke()) && c.completion() != null) {
                calls.add(c);
            }
        }
        long end = Math.max(1, history.isEmpty() ? 1 : history.get(history.size() - 1).time());
        ImageIO.write(latency(title, calls, faults, end), "png", dir.resolve("latency.png").toFile());
        ImageIO.write(throughput(title, calls, faults, end), "png", dir.resolve("throughput.png").toFile());
    }

    static BufferedImage latency(String title, List<Call> calls, List<FaultWindow> faults, long end) {
        double maxMs = 1;
        for (Call c : calls) {
            maxMs = Math.max(maxMs, (c.completion().time() - c.start()) / 1e6);
        }
        double lo = -2; // 0.01 ms
        double hi = Math.ceil(Math.log10(maxMs));
        Canvas g = new Canvas(title + ": latency", "time (s)", "latency (ms, log)");
        g.shade(faults, end);
        for (double d = lo; d <= hi; d++) {
            double y = g.y((d - lo) / (hi - lo));
            g.gridY(y, formatMs(Math.pow(10, d)));
        }
        g.timeAxis(end);
        for (String type : TYPES) {
            g.color(Palette.TYPES.get(type));
            for (Call c : calls) {
                if (!c.completion().type().wireName().equals(type)) {
                    continue;
                }
                double ms = Math.max(0.01, (c.completion().time() - c.start()) / 1e6);
                double x = g.x(c.start() / (double) end);
                double y = g.y((Math.log10(ms) - lo) / (hi - lo));
                g.dot(x, y);
            }
        }
        g.legend(faults);
        return g.image();
    }

    static BufferedImage throughput(String title, List<Call> calls, List<FaultWindow> faults, long end) {
        double bucketSeconds = Math.max(1, Math.ceil(end / 1e9 / 200));
        int buckets = (int) Math.ceil(end / 1e9 / bucketSeconds) + 1;
        double[][] rates = new double[TYPES.size()][buckets];
        double max = 1;
        for (Call c : calls) {
            int t = TYPES.indexOf(c.completion().type().wireName());
            int b = (int) (c.completion().time() / 1e9 / bucketSeconds);
            if (t >= 0 && b < buckets) {
                rates[t][b] += 1 / bucketSeconds;
                max = Math.max(max, rates[t][b]);
            }
        }
        max = Math.ceil(max * 1.1);
        Canvas g = new Canvas(title + ": throughput", "time (s)", "completions per second");
        g.shade(faults, end);
        for (int k = 0; k <= 5; k++) {
            g.gridY(g.y(k / 5.0), String.format(Locale.ROOT, "%.0f", max * k / 5));
        }
        g.timeAxis(end);
        for (int t = 0; t < TYPES.size(); t++) {
            g.color(Palette.TYPES.get(TYPES.get(t)).darker());
            double[] xs = new double[buckets];
            double[] ys = new double[buckets];
            for (int b = 0; b < buckets; b++) {
                xs[b] = g.x(Math.min(1, (b + 0.5) * bucketSeconds * 1e9 / end));
                ys[b] = g.y(rates[t][b] / max);
            }
            g.line(xs, ys);
        }
        g.legend(faults);
        return g.image();
    }

    private static String formatMs(double ms) {
        return ms >= 1 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.2f", ms);
    }

    /** A plot area with axes; text is best-effort (no fonts, no labels). */
    private static final class Canvas {
        private final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        private final Graphics2D g = image.createGraphics();
        private boolean text = true;

        Canvas(String title, String xLabel, String yLabel) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.DARK_GRAY);
            g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
            text(title, LEFT, 22, 14f);
            text(xLabel, WIDTH / 2, HEIGHT - 10, 12f);
            text(yLabel, 4, TOP - 8, 12f);
        }

        double x(double fraction) {
            return LEFT + fraction * (WIDTH - LEFT - RIGHT);
        }

        double y(double fraction) {
            return HEIGHT - BOTTOM - fraction * (HEIGHT - TOP - BOTTOM);
        }

        void color(Color c) {
            g.setColor(c);
        }

        void shade(List<FaultWindow> faults, long end) {
            int row = 0;
            for (FaultWindow w : faults) {
                Color c = Palette.fault(w.kind());
                int x0 = (int) x(w.startNanos() / (double) end);
                int x1 = (int) Math.max(x0 + 1, x(Math.min(1, w.endNanos() / (double) end)));
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 45));
                g.fillRect(x0, TOP, x1 - x0, HEIGHT - TOP - BOTTOM);
                g.setColor(c);
                if (x1 - x0 >= 24 || faults.size() <= 12) { // label what has room (the legend names the colours)
                    text(w.kind(), x0 + 2, TOP + 12 + 11 * (row++ % 3), 10f); // staggered: windows overlap
                }
            }
        }

        void gridY(double y, String label) {
            g.setColor(new Color(225, 225, 225));
            g.drawLine(LEFT, (int) y, WIDTH - RIGHT, (int) y);
            g.setColor(Color.DARK_GRAY);
            text(label, 8, (int) y + 4, 10f);
        }

        void timeAxis(long end) {
            double seconds = end / 1e9;
            double step = seconds <= 30 ? 2 : seconds <= 120 ? 10 : seconds <= 900 ? 60 : 300;
            for (double s = 0; s <= seconds; s += step) {
                int xx = (int) x(s / seconds);
                g.setColor(Color.DARK_GRAY);
                g.drawLine(xx, HEIGHT - BOTTOM, xx, HEIGHT - BOTTOM + 4);
                text(String.format(Locale.ROOT, "%.0f", s), xx - 6, HEIGHT - BOTTOM + 16, 10f);
            }
        }

        void dot(double x, double y) {
            g.fillRect((int) x - 1, (int) y - 1, 3, 3);
        }

        void line(double[] xs, double[] ys) {
            g.setStroke(new BasicStroke(1.6f));
            for (int i = 1; i < xs.length; i++) {
                g.drawLine((int) xs[i - 1], (int) ys[i - 1], (int) xs[i], (int) ys[i]);
            }
        }

        void legend(List<FaultWindow> faults) {
            int x = WIDTH - RIGHT - 410;
            for (String t : TYPES) {
                g.setColor(Palette.TYPES.get(t).darker());
                g.fillRect(x, 10, 10, 10);
                g.setColor(Color.DARK_GRAY);
                text(t, x + 13, 19, 11f);
                x += 50;
            }
            for (String kind : List.of("partition", "kill", "pause", "clock")) {
                g.setColor(Palette.fault(kind));
                g.fillRect(x, 10, 10, 10);
                text(kind, x + 13, 19, 11f);
                x += 62;
            }
        }

        /** Draws text if this JVM can; a JVM without fonts throws from deep inside AWT. */
        void text(String s, int x, int y, float size) {
            if (!text) {
                return;
            }
            try {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 1).deriveFont(size));
                g.drawString(s, x, y);
            } catch (RuntimeException | InternalError | LinkageError e) { // how AWT reports a JVM without fonts
                text = false;
            }
        }

        BufferedImage image() {
            g.dispose();
            return image;
        }
    }
}
