package io.warden.server.cell;

import java.util.regex.Pattern;

/**
 * What a valid lock, group and member name looks like. Lock names are hierarchical like file paths
 * ({@code /orders/primary}): a leading slash, segments of letters, digits, '.', '_', '-', no empty,
 * '.' or '..' segment; at most {@link #MAX_NAME} characters.
 */
public final class Names {
    public static final int MAX_NAME = 256;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private Names() {}

    /** Null when {@code name} is a valid lock or group name, else what is wrong with it. */
    public static String problemWithPath(String name) {
        if (name == null || name.isEmpty()) return "a name is required";
        if (name.length() > MAX_NAME) return "a name is at most " + MAX_NAME + " characters";
        if (!name.startsWith("/")) return "a name starts with '/', like /orders/primary";
        if (name.equals("/")) return "'/' alone is not a name";
        String[] segments = name.substring(1).split("/", -1);
        for (String s : segments) {
            if (s.isEmpty()) return "a name has no empty segments ('//' or a trailing '/')";
            if (s.equals(".") || s.equals("..")) return "a name has no '.' or '..' segments";
            if (!SEGMENT.matcher(s).matches()) return "segment '" + s + "' may hold only letters, digits, '.', '_' and '-'";
        }
        return null;
    }

    /** Null when {@code prefix} is a valid listing prefix ("/" or a valid name, optionally ending in '/'). */
    public static String problemWithPrefix(String prefix) {
        if (prefix == null || prefix.equals("/") || prefix.isEmpty()) return null;
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return problemWithPath(p);
    }

    /** Null when {@code member} is a valid member name within a group. */
    public static String problemWithMember(String member) {
        if (member == null || !MEMBER.matcher(member).matches()) {
            return "a member name is 1-128 characters of letters, digits, '.', '_', ':', '@', '-', starting with a letter or digit";
        }
        return null;
    }
}
