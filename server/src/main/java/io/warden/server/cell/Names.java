package io.warden.server.cell;

import java.util.regex.Pattern;

/**
 * What a valid lock, group and member name looks like. Lock names are hierarchical like file paths
 * ({@code /orders/primary}): a leading slash, segments of letters, digits, '.', '_', '-', no empty,
 * '.' or '..' segment; at most {@link #MAX_NAME} characters.
 */
public final class Names {
    public static final int MAX_NAME = 256;
    private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private Names() {}

    /** Null when {@code name} is a valid lock or group name, else what is wrong with it. */
    public static String problemWithPath(String name) {
        if (name == null || name.isEmpty()) return "a name is required";
        if (name.length() > MAX_NAME) return "a name is at most " + MAX_NAME + " characters";
        if (!name.startsWith("/")) return "a name starts with '/', like /orders/primary";
        if (name.equals("/")) return "'/' alone is not a name";
        // One pass over the characters (no split or regex: every command's names are checked on every replica).
        int start = 1;
        for (int i = 1; i <= name.length(); i++) {
            if (i < name.length() && name.charAt(i) != '/') continue;
            String problem = problemWithSegment(name, start, i);
            if (problem != null) return problem;
            start = i + 1;
        }
        return null;
    }

    /** Null when {@code prefix} is a valid listing prefix ("/" or a valid name, optionally ending in '/'). */
    public static String problemWithPrefix(String prefix) {
        if (prefix == null || prefix.equals("/") || prefix.isEmpty()) return null;
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return problemWithPath(p);
    }

    private static String problemWithSegment(String name, int from, int to) {
        if (from == to) return "a name has no empty segments ('//' or a trailing '/')";
        boolean dots = true;
        for (int i = from; i < to; i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return "segment '" + name.substring(from, to) + "' may hold only letters, digits, '.', '_' and '-'";
            }
            dots &= c == '.';
        }
        if (dots && to - from <= 2) return "a name has no '.' or '..' segments";
        return null;
    }

    /** Null when {@code member} is a valid member name within a group. */
    public static String problemWithMember(String member) {
        if (member == null || !MEMBER.matcher(member).matches()) {
            return "a member name is 1-128 characters of letters, digits, '.', '_', ':', '@', '-', starting with a letter or digit";
        }
        return null;
    }
}
