package io.warden.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where the cell is, first found wins: {@code --endpoints}, then {@code $WARDEN_ENDPOINTS}, then the
 * {@code endpoints} file that {@code bin/warden cell up} writes into the local cell's directory
 * ({@code $WARDEN_CELL_DIR}, default {@code ~/.warden/cell}), then the default local cell's ports.
 * A list is comma-separated; {@code host:port} means {@code http://host:port}.
 */
record Endpoints(List<String> urls, String source) {
    static final List<String> LOCAL_DEFAULT = List.of("http://127.0.0.1:7001", "http://127.0.0.1:7002", "http://127.0.0.1:7003");

    static Endpoints resolve(String flag, Map<String, String> env, Path home) {
        if (flag != null && !flag.isBlank()) return new Endpoints(parse(flag), "--endpoints");
        String fromEnv = env.get("WARDEN_ENDPOINTS");
        if (fromEnv != null && !fromEnv.isBlank()) return new Endpoints(parse(fromEnv), "$WARDEN_ENDPOINTS");
        String cellDir = env.get("WARDEN_CELL_DIR");
        Path file = (cellDir != null && !cellDir.isBlank() ? Path.of(cellDir) : home.resolve(".warden").resolve("cell")).resolve("endpoints");
        try {
            if (Files.isRegularFile(file)) {
                String text = Files.readString(file).trim();
                if (!text.isEmpty()) return new Endpoints(parse(text), file.toString());
            }
        } catch (IOException e) {
            // an unreadable file is no answer; fall through to the default
        }
        return new Endpoints(LOCAL_DEFAULT, "the default local cell");
    }

    static List<String> parse(String list) {
        List<String> urls = Arrays.stream(list.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty())
            .map(s -> s.contains("://") ? s : "http://" + s).map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
            .toList();
        if (urls.isEmpty()) throw new IllegalArgumentException("no endpoint in '" + list + "'");
        for (String u : urls) {
            if (!u.startsWith("http://") && !u.startsWith("https://")) {
                throw new IllegalArgumentException("an endpoint is an http:// URL, got '" + u + "'");
            }
        }
        return urls;
    }

    @Override
    public String toString() {
        return String.join(",", urls);
    }
}
