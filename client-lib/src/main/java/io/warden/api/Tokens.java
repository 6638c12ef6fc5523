package io.warden.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer tokens, as the cell and its clients make and check them (one copy, used by both). A token
 * is {@code wdn_} and 43 base64url characters (256 random bits); a cell's config holds only its
 * SHA-256, in hex. Unsalted SHA-256 is enough because a token is random and long: nothing to guess
 * from a dictionary, and a leaked config gives no way back to the token. (A password-like, short or
 * chosen token would need a slow salted hash; {@link #problemWith} refuses those.)
 */
public final class Tokens {
    public static final String PREFIX = "wdn_";
    /** The shortest token the CLI will hash: 128 bits of base64url after any prefix. */
    public static final int MIN_LENGTH = 22;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    /** A new random token. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The SHA-256 of the token's UTF-8 bytes. */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** {@link #sha256} in lower-case hex: what a cell's config holds. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** Null when {@code token} is fit to be used, else what is wrong with it. */
    public static String problemWith(String token) {
        if (token == null || token.isBlank()) return "a token is required";
        if (token.length() < MIN_LENGTH) return "a token is at least " + MIN_LENGTH + " characters of random text (use 'warden token new')";
        for (char c : token.toCharArray()) {
            if (c <= ' ' || c > '~') return "a token is printable ASCII without spaces";
        }
        return null;
    }
}
