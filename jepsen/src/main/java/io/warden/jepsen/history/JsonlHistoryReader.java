package io.warden.jepsen.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code history.jsonl} (see {@link JsonlHistoryWriter}) back into {@link Op}s: ours, or
 * one written by any tool that uses Jepsen's field names. Blank lines are skipped; fields other
 * than {@code process, type, f, key, value, time, session, error} (e.g. Jepsen's {@code index}) are
 * ignored. {@code process}, {@code type}, {@code f} and {@code time} are required. A bad line
 * throws {@link IllegalArgumentException} naming its line number.
 */
public final class JsonlHistoryReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonlHistoryReader() {}

    /** Reads {@code file} (UTF-8). */
    public static List<Op> read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in);
        }
    }

    /** Reads every line of {@code in}; does not close it. */
    public static List<Op> read(Reader in) throws IOException {
        BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
        List<Op> ops = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            if (!line.isBlank()) {
                ops.add(parseLine(line, number));
            }
        }
        return ops;
    }

    /** Parses one line; {@code number} is only used in error messages. */
    public static Op parseLine(String line, int number) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return new Op(
                    required(node, "process").intValue(),
                    OpType.fromWireName(required(node, "type").asText()),
                    required(node, "f").asText(),
                    node.hasNonNull("key") ? node.get("key").asText() : null,
                    node.has("value") ? JSON.treeToValue(node.get("value"), Object.class) : null,
                    required(node, "time").longValue(),
                    node.hasNonNull("session") ? required(node, "session").longValue() : null,
                    node.hasNonNull("error") ? node.get("error").asText() : null);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("history line " + number + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        boolean integral = field.equals("process") || field.equals("time") || field.equals("session");
        if (integral && !(value.isIntegralNumber() && value.canConvertToLong())) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer");
        }
        if (field.equals("process") && !value.canConvertToInt()) {
            throw new IllegalArgumentException("field 'process' out of range: " + value);
        }
        return value;
    }
}
