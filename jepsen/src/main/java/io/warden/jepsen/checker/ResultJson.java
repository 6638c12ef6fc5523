package io.warden.jepsen.checker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes {@link CheckResult}s as (pretty-printed) JSON; the shape is documented there. */
public final class ResultJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultJson() {}

    /** One result as JSON. */
    public static String toJson(CheckResult result) {
        return write(result);
    }

    /** Several results as a JSON array (e.g. {@code results.json} of a run). */
    public static String toJson(List<CheckResult> results) {
        return write(results);
    }

    /** Writes {@link #toJson(List)} to {@code file} (UTF-8). */
    public static void write(Path file, List<CheckResult> results) throws IOException {
        Files.writeString(file, toJson(results) + "\n", StandardCharsets.UTF_8);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one result back (tests, report tools). */
    public static CheckResult fromJson(String json) {
        try {
            return JSON.readValue(json, CheckResult.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a check result: " + e.getMessage(), e);
        }
    }
}
