package io.warden.server.http;

/**
 * The exactly-once id of a write, from the {@code Warden-Client-Id} and {@code Warden-Request-Seq}
 * headers. A retry with the same pair, even to a new master, gets the first outcome and is never
 * applied twice. {@link #anonymous()} (no headers) means the server assigns a fresh id, so only a
 * client that sends the headers gets exactly-once retries.
 */
public record RequestId(long clientId, long sequence) {
    public static final String CLIENT_HEADER = "Warden-Client-Id";
    public static final String SEQUENCE_HEADER = "Warden-Request-Seq";

    public RequestId {
        if (clientId < 0 || sequence < 0) throw new IllegalArgumentException("request ids are positive");
    }

    /** No id given: the server assigns one when it submits the write. */
    public static RequestId anonymous() {
        return new RequestId(0, 0);
    }

    public boolean isAnonymous() {
        return clientId == 0;
    }

    /** Parses the headers (either may be null); a malformed or half-given pair is a 400 naming the header. */
    public static RequestId fromHeaders(String client, String sequence) {
        if (client == null && sequence == null) return anonymous();
        if (client == null) {
            throw ApiException.badRequest("missing-header", SEQUENCE_HEADER + " needs " + CLIENT_HEADER + " beside it");
        }
        if (sequence == null) {
            throw ApiException.badRequest("missing-header", CLIENT_HEADER + " needs " + SEQUENCE_HEADER + " beside it");
        }
        return new RequestId(positive(CLIENT_HEADER, client), positive(SEQUENCE_HEADER, sequence));
    }

    private static long positive(String header, String value) {
        try {
            long v = Long.parseLong(value.trim());
            if (v > 0) return v;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("invalid-header", header + " must be a positive integer, got '" + value + "'");
    }
}
