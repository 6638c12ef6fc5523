package io.warden.server.cell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Group membership: each member is tied to the session that joined it and vanishes with it. */
public final class GroupTable {
    /** One member of a group. */
    public record Member(String group, String name, long session, String payload, long joinedWallMillis) {}

    private final TreeMap<String, TreeMap<String, Member>> groups = new TreeMap<>();

    Member get(String group, String name) {
        TreeMap<String, Member> g = groups.get(group);
        return g == null ? null : g.get(name);
    }

    void put(Member m) {
        groups.computeIfAbsent(m.group(), k -> new TreeMap<>()).put(m.name(), m);
    }

    void remove(String group, String name) {
        TreeMap<String, Member> g = groups.get(group);
        if (g == null) return;
        g.remove(name);
        if (g.isEmpty()) groups.remove(group);
    }

    List<Member> members(String group) {
        TreeMap<String, Member> g = groups.get(group);
        return g == null ? List.of() : List.copyOf(g.values());
    }

    List<String> groupNames() {
        return List.copyOf(groups.keySet());
    }

    List<Member> all() {
        List<Member> out = new ArrayList<>();
        for (Map<String, Member> g : groups.values()) out.addAll(g.values());
        return out;
    }

    void restore(List<Member> members) {
        groups.clear();
        for (Member m : members) put(m);
    }

    /** The key a session records its membership under. */
    static String key(String group, String member) {
        return group + "\u0000" + member;
    }
}
