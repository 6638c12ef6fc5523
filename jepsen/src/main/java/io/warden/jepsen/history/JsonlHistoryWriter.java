package io.warden.jepsen.history;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes {@code history.jsonl}: one JSON object per line, one line per {@link Op}, with Jepsen's
 * field names in this order: {@code process, type, f, key, value, time}, then {@code session} and
 * {@code error} when present. {@code key} and {@code value} are always written ({@code null} when
 * absent), so every line has the same shape. For example:
 * <pre>{"process":3,"type":"ok","f":"cas","key":"r1","value":[1,2],"time":1200345}</pre>
 *
 * <p>Each op is flushed as it is written, so the file survives a crash of the run. Usable as a
 * {@link HistoryRecorder} sink; I/O errors then surface as {@link UncheckedIOException}.
 * Threading: not thread-safe on its own (the recorder calls its sink under its lock).
 */
public final class JsonlHistoryWriter implements Consumer<Op>, Closeable {
    private static final ObjectWriter JSON = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .writerFor(Op.class);

    private final Writer out;

    /** Writes to {@code out}; closing this writer closes it. */
    public JsonlHistoryWriter(Writer out) {
        this.out = out;
    }

    /** Creates (or truncates) {@code file}. */
    public static JsonlHistoryWriter create(Path file) throws IOException {
        return new JsonlHistoryWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Writes a whole history to {@code file}. */
    public static void write(Path file, List<Op> history) throws IOException {
        try (JsonlHistoryWriter w = create(file)) {
            for (Op op : history) {
                w.write(op);
            }
        }
    }

    /** One op as its JSONL line, without the line break. */
    public static String toLine(Op op) {
        try {
            return JSON.writeValueAsString(op);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
}
