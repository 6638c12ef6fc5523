package io.warden.server.config;

import io.warden.server.cell.AclTable;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code auth} section: who may call the client API. Authentication is required iff it is
 * configured: at least one token, or {@code clientCertificates} (a client CA that verifies them;
 * TLS turns this on when it is given one). Off, every caller is "anonymous" and allowed everything,
 * exactly as before security existed. See docs/security.md.
 *
 * @param tokens             bearer tokens by principal, as SHA-256 hashes (never the tokens)
 * @param admins             bootstrap administrators: {@code admin} on "/" whatever the ACLs say,
 *                           so a fresh secure cell (no ACLs yet) can be administered
 * @param groups             principal groups, named in ACL entries as {@code group:NAME}
 * @param clientCertificates whether a verified client certificate authenticates its CN
 */
public record AuthConfig(List<Token> tokens, Set<String> admins, Map<String, Set<String>> groups, boolean clientCertificates) {
    /** One token: {@code sha256} is the hex SHA-256 of the token ({@code warden token new} prints both). */
    public record Token(String principal, String sha256) {}

    public static AuthConfig off() {
        return new AuthConfig(List.of(), Set.of(), Map.of(), false);
    }

    public AuthConfig {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        admins = admins == null ? Set.of() : Set.copyOf(admins);
        groups = groups == null ? Map.of() : Map.copyOf(new TreeMap<>(groups));
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            principal(t.principal(), "auth.tokens[" + i + "].principal");
            String h = t.sha256();
            if (h == null || !h.matches("[0-9a-fA-F]{64}")) {
                throw new ConfigException("auth.tokens[" + i + "].sha256", "must be the 64 hex digits of the token's SHA-256 "
                    + "(warden token new / warden token hash print it); never the token itself");
            }
            if (!hashes.add(h.toLowerCase())) throw new ConfigException("auth.tokens[" + i + "].sha256", "the same token is listed twice");
        }
        for (String a : admins) principal(a, "auth.admins");
        for (var g : groups.entrySet()) {
            principal(g.getKey(), "auth.groups");
            for (String m : g.getValue()) principal(m, "auth.groups." + g.getKey());
        }
    }

    /** Whether callers must authenticate (and ACLs are enforced). */
    public boolean enabled() {
        return !tokens.isEmpty() || clientCertificates;
    }

    /** The token hashes as bytes, for constant-time comparison. */
    public List<byte[]> hashes() {
        return tokens.stream().map(t -> HexFormat.of().parseHex(t.sha256().toLowerCase())).toList();
    }

    /** The groups {@code principal} belongs to. */
    public Set<String> groupsOf(String principal) {
        Set<String> out = new HashSet<>();
        groups.forEach((g, members) -> {
            if (members.contains(principal)) out.add(g);
        });
        return out;
    }

    private static void principal(String name, String field) {
        if (name == null || !AclTable.PRINCIPAL.matcher(name).matches()) {
            throw new ConfigException(field, "'" + name + "' is not a principal name: 1-128 characters of letters, digits, "
                + "'.', '_', '@', ':', '+', '=', '-', starting with a letter or digit");
        }
    }
}
