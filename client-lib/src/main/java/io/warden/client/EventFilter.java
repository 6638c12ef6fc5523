package io.warden.client;

/** Which events a watch follows: those of locks under a prefix, or of one group, or all. */
public record EventFilter(String prefix, String group) {
    public static EventFilter all() {
        return new EventFilter(null, null);
    }

    /** Events of locks whose names start with {@code prefix} (a lock name follows just that lock). */
    public static EventFilter locks(String prefix) {
        return new EventFilter(prefix, null);
    }

    public static EventFilter group(String group) {
        return new EventFilter(null, group);
    }

    String query() {
        StringBuilder q = new StringBuilder();
        if (prefix != null) q.append("&prefix=").append(java.net.URLEncoder.encode(prefix, java.nio.charset.StandardCharsets.UTF_8));
        if (group != null) q.append("&group=").append(java.net.URLEncoder.encode(group, java.nio.charset.StandardCharsets.UTF_8));
        return q.toString();
    }
}
