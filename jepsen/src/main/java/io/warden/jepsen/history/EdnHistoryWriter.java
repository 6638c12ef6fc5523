package io.warden.jepsen.history;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes {@code history.edn} in the shape Jepsen, Knossos and Elle read: one EDN map per line,
 * <pre>{:type :invoke, :f :write, :process 3, :value 5, :time 123, :key "r1"}</pre>
 * then {@code :session} and {@code :error} when present. {@code type} and {@code f} are keywords,
 * keys and other strings are EDN strings, {@code null} is {@code nil}, lists are vectors (a cas is
 * {@code [1 2]}) and maps have string keys.
 *
 * <p>Each op is flushed as it is written. Usable as a {@link HistoryRecorder} sink; I/O errors then
 * surface as {@link UncheckedIOException}. Not thread-safe on its own.
 */
public final class EdnHistoryWriter implements Consumer<Op>, Closeable {
    private final Writer out;

    /** Writes to {@code out}; closing this writer closes it. */
    public EdnHistoryWriter(Writer out) {
        this.out = out;
    }

    /** Creates (or truncates) {@code file}. */
    public static EdnHistoryWriter create(Path file) throws IOException {
        return new EdnHistoryWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Writes a whole history to {@code file}. */
    public static void write(Path file, List<Op> history) throws IOException {
        try (EdnHistoryWriter w = create(file)) {
            for (Op op : history) {
                w.write(op);
            }
        }
    }

    /** One op as an EDN map, without the line break. */
    public static String toLine(Op op) {
        StringBuilder s = new StringBuilder(96);
        s.append("{:type :").append(op.type().wireName());
        s.append(", :f :").append(op.f());
        s.append(", :process ").append(op.process());
        s.append(", :value ");
        appendValue(s, op.value());
        s.append(", :time ").append(op.time());
        s.append(", :key ");
        appendValue(s, op.key());
        if (op.session() != null) {
            s.append(", :session ").append(op.session());
        }
        if (op.error() != null) {
            s.append(", :error ");
            appendString(s, op.error());
        }
        return s.append('}').toString();
    }

    /** Appends one line and flushes. */
    public void write(Op op) throws IOException {
        out.write(toLine(op));
        out.write('\n');
        out.flush();
    }

    @Override
    public void accept(Op op) {
        try {
            write(op);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static void appendValue(StringBuilder s, Object value) {
        if (value == null) {
            s.append("nil");
        } else if (value instanceof String str) {
            appendString(s, str);
        } else if (value instanceof Double d) {
            appendDouble(s, d);
        } else if (value instanceof List<?> list) {
            s.append('[');
            for (int i = 0; i < list.size(); i++) {
                s.append(i == 0 ? "" : " ");
                appendValue(s, list.get(i));
            }
            s.append(']');
        } else if (value instanceof Map<?, ?> map) {
            s.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                s.append(first ? "" : ", ");
                first = false;
                appendValue(s, e.getKey());
                s.append(' ');
                appendValue(s, e.getValue());
            }
            s.append('}');
        } else {
            s.append(value); // Long or Boolean: the same text in EDN
        }
    }

    private static void appendDouble(StringBuilder s, double d) {
        if (Double.isNaN(d)) {
            s.append("##NaN");
        } else if (Double.isInfinite(d)) {
            s.append(d > 0 ? "##Inf" : "##-Inf");
        } else {
            s.append(d);
        }
    }

    private static void appendString(StringBuilder s, String str) {
        s.append('"');
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
