package io.warden.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.server.cell.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a replica's JSON configuration file, then lets command-line flags override single fields:
 * {@code --config FILE [--id N] [--data-dir DIR] [--cell NAME] [--lease-millis N] ...}.
 * Unknown fields and flags are mistakes, reported by name (a misspelled replica name silently
 * cutting fault tolerance is a Paxos Made Live lesson).
 */
public final class ConfigLoader {
    private static final Set<String> TOP = Set.of("cell", "self", "dataDir", "members", "timings", "limits", "tls", "auth");
    private static final Set<String> TLS = Set.of("certFile", "keyFile", "keystore", "keystorePassword",
        "caFile", "truststore", "truststorePassword", "clientAuth");
    private static final Set<String> AUTH = Set.of("tokens", "admins", "groups", "clientCertificates");
    private static final Set<String> TOKEN = Set.of("principal", "sha256");
    private static final Set<String> MEMBER = Set.of("id", "host", "clientPort", "peerPort");
    private static final Map<String, String> FLAGS = Map.ofEntries(
        Map.entry("--id", "self"), Map.entry("--data-dir", "dataDir"), Map.entry("--cell", "cell"),
        Map.entry("--lease-millis", "timings.leaseMillis"), Map.entry("--renew-millis", "timings.renewMillis"),
        Map.entry("--election-jitter-millis", "timings.electionJitterMillis"),
        Map.entry("--drift-bound", "timings.driftBound"), Map.entry("--tick-millis", "timings.tickMillis"),
        Map.entry("--snapshot-every-slots", "timings.snapshotEverySlots"),
        Map.entry("--tls-cert", "tls.certFile"), Map.entry("--tls-key", "tls.keyFile"),
        Map.entry("--tls-keystore", "tls.keystore"), Map.entry("--tls-keystore-password", "tls.keystorePassword"),
        Map.entry("--tls-ca", "tls.caFile"), Map.entry("--tls-truststore", "tls.truststore"),
        Map.entry("--tls-truststore-password", "tls.truststorePassword"), Map.entry("--tls-client-auth", "tls.clientAuth"));
    /** The one flag without a value: serve without TLS on a non-loopback address (see {@link ListenRule}). */
    private static final String INSECURE = "--insecure";
    /**
     * Lock cycles to warm up with before joining. Per process, not part of the cell's configuration (nor of its
     * fingerprint): the server takes it off the command line before loading, and it is here only for the hint.
     */
    public static final String WARM_UP_FLAG = "--warm-up-cycles";

    private ConfigLoader() {}

    public static CellConfig load(String[] args) {
        Path file = null;
        ObjectNode overrides = new ObjectMapper().createObjectNode();
        boolean insecure = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals(INSECURE)) {
                insecure = true;
                continue;
            }
            if (i + 1 >= args.length) throw new ConfigException(flag, "needs a value");
            String value = args[++i];
            if (flag.equals("--config")) {
                file = Path.of(value);
            } else if (FLAGS.containsKey(flag)) {
                overrides.put(FLAGS.get(flag), value);
            } else {
                throw new ConfigException(flag, "unknown flag; known: --config " + INSECURE + " " + String.join(" ", FLAGS.keySet()) + " " + WARM_UP_FLAG);
            }
        }
        if (file == null) throw new ConfigException("--config", "a configuration file is required");
        CellConfig c = parse(read(file), overrides);
        return insecure ? new CellConfig(c.cell(), c.members(), c.self(), c.dataDir(), c.timings(), c.limits(), c.loadLimits(), c.tls(), true, c.auth()) : c;
    }

    static JsonNode read(Path file) {
        try {
            return new ObjectMapper().readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new ConfigException(file.toString(), "is not valid JSON: " + e.getOriginalMessage()
                + " at line " + e.getLocation().getLineNr());
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot be read: " + e.getMessage());
        }
    }

    public static CellConfig parse(JsonNode root, JsonNode overrides) {
        if (root == null || !root.isObject()) throw new ConfigException("(file)", "must be a JSON object");
        checkFields(root, TOP, "");
        JsonNode timings = root.path("timings");
        if (!timings.isMissingNode()) checkFields(timings, Set.of("leaseMillis", "renewMillis", "electionJitterMillis",
            "driftBound", "tickMillis", "snapshotEverySlots"), "timings.");
        CellConfig.Timings d = CellConfig.Timings.defaults();
        CellConfig.Timings t = new CellConfig.Timings(
            longField(root, overrides, "timings.leaseMillis", d.leaseMillis()),
            longField(root, overrides, "timings.renewMillis", d.renewMillis()),
            longField(root, overrides, "timings.electionJitterMillis", d.electionJitterMillis()),
            doubleField(root, overrides, "timings.driftBound", d.driftBound()),
            longField(root, overrides, "timings.tickMillis", d.tickMillis()),
            longField(root, overrides, "timings.snapshotEverySlots", d.snapshotEverySlots()));
        List<Member> members = new ArrayList<>();
        JsonNode ms = root.path("members");
        if (!ms.isArray()) throw new ConfigException("members", "must be a list of {id, host, clientPort, peerPort}");
        for (JsonNode m : ms) {
            checkFields(m, MEMBER, "members[].");
            members.add(new Member(requiredInt(m, "id", "members[].id"), requiredText(m, "host", "members[].host"),
                requiredInt(m, "clientPort", "members[].clientPort"), requiredInt(m, "peerPort", "members[].peerPort")));
        }
        String dataDir = text(root, overrides, "dataDir");
        String cell = text(root, overrides, "cell");
        int self = (int) longField(root, overrides, "self", -1);
        if (self == -1) throw new ConfigException("self", "is required (or --id)");
        return new CellConfig(cell, members, self, dataDir == null ? null : Path.of(dataDir), t, limits(root.path("limits")),
            loadLimits(root.path("limits")), tls(root, overrides), false, auth(root.path("auth")));
    }

    /**
     * The {@code tls} section (or {@code --tls-*} flags): null when neither gives any field. The
     * files are read here, so a wrong path, password or PEM stops the replica naming the field.
     */
    static TlsConfig tls(JsonNode root, JsonNode overrides) {
        JsonNode section = root.path("tls");
        if (!section.isMissingNode() && !section.isNull()) checkFields(section, TLS, "tls.");
        boolean any = (section.isObject() && section.size() > 0) || TLS.stream().anyMatch(f -> overrides.has("tls." + f));
        if (!any) return null;
        Path cert = path(root, overrides, "tls.certFile");
        Path key = path(root, overrides, "tls.keyFile");
        Path keystore = path(root, overrides, "tls.keystore");
        Path ca = path(root, overrides, "tls.caFile");
        Path truststore = path(root, overrides, "tls.truststore");
        if ((cert == null) != (key == null)) throw new ConfigException(cert == null ? "tls.certFile" : "tls.keyFile",
            "certFile and keyFile go together (a PEM certificate chain and its PKCS#8 PEM key)");
        if ((cert == null) == (keystore == null)) throw new ConfigException("tls.keystore",
            "give the replica's certificate as either certFile+keyFile (PEM) or keystore (PKCS#12), exactly one");
        if ((ca == null) == (truststore == null)) throw new ConfigException("tls.caFile",
            "give the cell's CA as either caFile (PEM) or truststore (PKCS#12), exactly one");
        io.warden.client.TlsOptions files = new io.warden.client.TlsOptions(ca, truststore,
            text(root, overrides, "tls.truststorePassword"), cert, key, keystore, text(root, overrides, "tls.keystorePassword"));
        try {
            files.trustStore();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ca != null ? "tls.caFile" : "tls.truststore", e.getMessage());
        }
        try {
            files.sslContext();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(cert != null ? "tls.certFile" : "tls.keystore", e.getMessage());
        }
        String auth = text(root, overrides, "tls.clientAuth");
        return new TlsConfig(files, auth == null ? TlsConfig.ClientAuth.WANT : TlsConfig.ClientAuth.parse(auth));
    }

    private static Path path(JsonNode root, JsonNode overrides, String field) {
        String s = text(root, overrides, field);
        if (s != null && s.isBlank()) throw new ConfigException(field, "must not be empty");
        return s == null ? null : Path.of(s);
    }

    /** The {@code auth} object: {@code {tokens: [{principal, sha256}], admins: [..], groups: {name: [..]}, clientCertificates}}. */
    static AuthConfig auth(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) return AuthConfig.off();
        checkFields(node, AUTH, "auth.");
        List<AuthConfig.Token> tokens = new ArrayList<>();
        JsonNode ts = node.path("tokens");
        if (!ts.isMissingNode() && !ts.isArray()) throw new ConfigException("auth.tokens", "must be a list of {principal, sha256}");
        for (int i = 0; i < ts.size(); i++) {
            JsonNode t = ts.get(i);
            checkFields(t, TOKEN, "auth.tokens[" + i + "].");
            tokens.add(new AuthConfig.Token(requiredText(t, "principal", "auth.tokens[" + i + "].principal"),
                requiredText(t, "sha256", "auth.tokens[" + i + "].sha256")));
        }
        Set<String> admins = new java.util.TreeSet<>(strings(node.path("admins"), "auth.admins"));
        Map<String, Set<String>> groups = new java.util.TreeMap<>();
        JsonNode gs = node.path("groups");
        if (!gs.isMissingNode()) {
            if (!gs.isObject()) throw new ConfigException("auth.groups", "must be an object of group name to a list of principals");
            gs.properties().forEach(g -> groups.put(g.getKey(), new java.util.TreeSet<>(strings(g.getValue(), "auth.groups." + g.getKey()))));
        }
        JsonNode certs = node.path("clientCertificates");
        if (!certs.isMissingNode() && !certs.isBoolean()) throw new ConfigException("auth.clientCertificates", "must be true or false");
        return new AuthConfig(tokens, admins, groups, certs.asBoolean(false));
    }

    private static List<String> strings(JsonNode node, String field) {
        if (node.isMissingNode()) return List.of();
        if (!node.isArray()) throw new ConfigException(field, "must be a list of principal names");
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) throw new ConfigException(field, "must be a list of strings, found " + n);
            out.add(n.asText());
        }
        return out;
    }

    /**
     * The {@code limits} object: any subset of the fields of {@link Limits} (the cell's) and of
     * {@link LoadLimits} (this replica's), the rest from the defaults.
     */
    static Limits limits(JsonNode node) {
        return bounds(node, Limits.defaults(), Limits.class, LoadLimits.defaults());
    }

    static LoadLimits loadLimits(JsonNode node) {
        return bounds(node, LoadLimits.defaults(), LoadLimits.class, Limits.defaults());
    }

    /** The fields of {@code node} that belong to {@code type}; {@code other}'s are checked there. */
    private static <T> T bounds(JsonNode node, T defaults, Class<T> type, Object other) {
        if (node.isMissingNode() || node.isNull()) return defaults;
        ObjectMapper m = new ObjectMapper();
        ObjectNode merged = m.valueToTree(defaults);
        java.util.Set<String> mine = new java.util.TreeSet<>();
        merged.fieldNames().forEachRemaining(mine::add);
        java.util.Set<String> known = new java.util.TreeSet<>(mine);
        m.<ObjectNode>valueToTree(other).fieldNames().forEachRemaining(known::add);
        checkFields(node, known, "limits.");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!mine.contains(f)) continue;
            if (!node.get(f).isIntegralNumber()) throw new ConfigException("limits." + f, "must be an integer");
            merged.set(f, node.get(f));
        }
        try {
            return m.treeToValue(merged, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            if (c instanceof ConfigException ce) throw ce;
            throw new ConfigException("limits", c.getMessage());
        }
    }

    private static void checkFields(JsonNode node, Set<String> known, String prefix) {
        if (!node.isObject()) throw new ConfigException(prefix.isEmpty() ? "(file)" : prefix, "must be an object");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) throw new ConfigException(prefix + f, "unknown field; known: " + known);
        }
    }

    private static JsonNode at(JsonNode root, JsonNode overrides, String path) {
        if (overrides.has(path)) return overrides.get(path);
        JsonNode n = root;
        for (String part : path.split("\\.")) n = n.path(part);
        return n;
    }

    private static String text(JsonNode root, JsonNode overrides, String path) {
        JsonNode n = at(root, overrides, path);
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    private static long longField(JsonNode root, JsonNode overrides, String path, long dflt) {
        JsonNode n = at(root, overrides, path);
        if (n.isMissingNode() || n.isNull()) return dflt;
        if (n.isIntegralNumber()) return n.asLong();
        try {
            return Long.parseLong(n.asText().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(path, "must be an integer, got " + n);
        }
    }

    private static double doubleField(JsonNode root, JsonNode overrides, String path, double dflt) {
        JsonNode n = at(root, overrides, path);
        if (n.isMissingNode() || n.isNull()) return dflt;
        if (n.isNumber()) return n.asDouble();
        try {
            return Double.parseDouble(n.asText().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(path, "must be a number, got " + n);
        }
    }

    private static int requiredInt(JsonNode node, String field, String name) {
        JsonNode n = node.path(field);
        if (!n.isIntegralNumber()) throw new ConfigException(name, "is required and must be an integer");
        return n.asInt();
    }

    private static String requiredText(JsonNode node, String field, String name) {
        JsonNode n = node.path(field);
        if (!n.isTextual()) throw new ConfigException(name, "is required and must be a string");
        return n.asText();
    }
}
