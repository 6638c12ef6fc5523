package io.warden.server.cell;

import io.warden.api.Acls;
import io.warden.api.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The cell's ACLs, replicated: entries {path, subject, permission}, inherited down the name
 * hierarchy. Pure (no I/O); only the replica loop's thread touches it.
 *
 * <p>Paths: {@code "/"} (everything), a prefix ending in '/' ({@code "/jobs/"}: every name under
 * /jobs), or one name ({@code "/jobs/batch-7"}). Lock names and group names share the namespace.
 *
 * <p>Inheritance, as in Chubby (a node's ACL comes from its parent unless set): to decide what a
 * caller may do on a name, look at the name's own entries, then its nearest enclosing prefix, and
 * so on up to "/"; the first level that says anything about the caller decides. Within a level the
 * caller's own entry wins over its groups' (the highest of them), which win over {@code *}. So a
 * deeper entry can both widen and narrow ({@code none}) what is granted above it. Nothing found:
 * {@link Permission#NONE} (deny by default).
 */
public final class AclTable {
    /** The subject that matches every authenticated caller. */
    public static final String EVERYONE = "*";
    public static final String GROUP_PREFIX = "group:";
    /** A principal's name: what a certificate's CN or a configured token name may be. */
    public static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:+=-]{0,127}");

    /** The permission found for a caller on a name, and the entry that decided it (null: none). */
    public record Decision(Permission permission, Acls.Entry decidedBy) {}

    private final TreeMap<String, TreeMap<String, Permission>> byPath = new TreeMap<>();

    /** What {@code principal}, a member of {@code groups}, may do on {@code name} (a name or a prefix). */
    public Decision decide(String principal, Set<String> groups, String name) {
        for (String level : chain(name)) {
            Map<String, Permission> entries = byPath.get(level);
            if (entries == null) continue;
            Permission own = entries.get(principal);
            if (own != null) return new Decision(own, new Acls.Entry(level, principal, own));
            Acls.Entry best = null;
            for (String g : groups) {
                Permission p = entries.get(GROUP_PREFIX + g);
                if (p != null && (best == null || p.compareTo(best.permission()) > 0)) best = new Acls.Entry(level, GROUP_PREFIX + g, p);
            }
            if (best != null) return new Decision(best.permission(), best);
            Permission all = entries.get(EVERYONE);
            if (all != null) return new Decision(all, new Acls.Entry(level, EVERYONE, all));
        }
        return new Decision(Permission.NONE, null);
    }

    /** The levels that can decide for {@code name}, nearest first: "/jobs/batch-7", "/jobs/", "/". */
    static List<String> chain(String name) {
        List<String> out = new ArrayList<>();
        if (!name.endsWith("/")) out.add(name);
        for (int j = name.lastIndexOf('/'); j >= 0; j = j == 0 ? -1 : name.lastIndexOf('/', j - 1)) out.add(name.substring(0, j + 1));
        return out;
    }

    void set(String path, String subject, Permission permission) {
        byPath.computeIfAbsent(path, p -> new TreeMap<>()).put(subject, permission);
    }

    boolean has(String path, String subject) {
        Map<String, Permission> entries = byPath.get(path);
        return entries != null && entries.containsKey(subject);
    }

    /** Removes one entry; false if there was none. */
    boolean remove(String path, String subject) {
        Map<String, Permission> entries = byPath.get(path);
        if (entries == null || entries.remove(subject) == null) return false;
        if (entries.isEmpty()) byPath.remove(path);
        return true;
    }

    int size() {
        int n = 0;
        for (Map<String, Permission> e : byPath.values()) n += e.size();
        return n;
    }

    /** Entries whose path starts with {@code prefix}, in path then subject order. */
    public List<Acls.Entry> entries(String prefix) {
        List<Acls.Entry> out = new ArrayList<>();
        for (var level : byPath.tailMap(prefix, true).entrySet()) {
            if (!level.getKey().startsWith(prefix)) break;
            level.getValue().forEach((subject, p) -> out.add(new Acls.Entry(level.getKey(), subject, p)));
        }
        return out;
    }

    void restore(List<Acls.Entry> entries) {
        byPath.clear();
        for (Acls.Entry e : entries) set(e.path(), e.subject(), e.permission());
    }

    /** Null when {@code path} may carry ACL entries ("/", a name, or a name ending in '/'), else what is wrong. */
    public static String problemWithPath(String path) {
        if (path == null || path.isEmpty()) return "a path is required: '/', a prefix like /jobs/ or a name like /jobs/batch-7";
        if (path.equals("/")) return null;
        return Names.problemWithPath(path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }

    /** Null when {@code subject} is '*', {@code group:NAME} or a principal, else what is wrong. */
    public static String problemWithSubject(String subject) {
        if (EVERYONE.equals(subject)) return null;
        String name = subject != null && subject.startsWith(GROUP_PREFIX) ? subject.substring(GROUP_PREFIX.length()) : subject;
        if (name == null || !PRINCIPAL.matcher(name).matches()) {
            return "a subject is '*', group:NAME or a principal: 1-128 characters of letters, digits, '.', '_', '@', ':', '+', '=', '-', "
                + "starting with a letter or digit";
        }
        return null;
    }
}
