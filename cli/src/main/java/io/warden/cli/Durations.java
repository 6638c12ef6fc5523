package io.warden.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Durations as people type them ({@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, {@code 1h}) and as the CLI prints them. */
final class Durations implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    static Duration parse(String text) {
        String t = text.trim();
        if (t.equals("0")) return Duration.ZERO;
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a duration; write it like 500ms, 10s, 2m or 1h");
        }
        double amount = Double.parseDouble(m.group(1));
        long unitMillis = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        double millis = amount * unitMillis;
        if (millis > Long.MAX_VALUE / 2) throw new CommandLine.TypeConversionException("'" + text + "' is too long a duration");
        return Duration.ofMillis(Math.round(millis));
    }

    /** {@code 850ms}, {@code 2.9s}, {@code 2s}, {@code 12s}, {@code 2m05s}, {@code 1h02m}. */
    static String format(long millis) {
        if (millis < 0) return "-" + format(-millis);
        if (millis < 1_000) return millis + "ms";
        if (millis < 10_000 && millis % 1_000 != 0) return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
        long seconds = millis / 1_000;
        if (seconds < 60) return seconds + "s";
        if (seconds < 3_600) return String.format(java.util.Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        return String.format(java.util.Locale.ROOT, "%dh%02dm", seconds / 3_600, (seconds % 3_600) / 60);
    }
}
