package io.warden.server.config;

/**
 * Bounds on the work one replica holds for its clients at once, so that client load can slow it
 * but never run it out of memory or starve its KeepAlives and Paxos traffic. Unlike the cell's
 * {@link io.warden.server.cell.Limits} these shape no replicated decision, so members may differ
 * (a bigger machine may hold more). Set in the config's {@code limits} object with the others and
 * reported with them in {@code /v1/cell}. Past one, the replica answers 503 {@code overloaded}
 * with {@code Retry-After}; see docs/security.md, "Overload".
 *
 * @param maxQueuedRequests  client requests queued for the replica loop (writes, reads, watches);
 *                           new sessions and acquires are refused once it is half full
 * @param maxPendingWrites   writes proposed and not yet decided; again new sessions and acquires
 *                           are refused from half of it
 * @param maxHeldRequests    requests whose answer is pending (waiting acquires and long-polls included)
 * @param maxEventStreams    open Server-Sent Events streams
 * @param maxConnections     open client connections; past it new ones wait in the kernel's backlog
 */
public record LoadLimits(int maxQueuedRequests, int maxPendingWrites, int maxHeldRequests, int maxEventStreams,
                         int maxConnections) {

    public LoadLimits {
        positive("maxQueuedRequests", maxQueuedRequests);
        positive("maxPendingWrites", maxPendingWrites);
        positive("maxHeldRequests", maxHeldRequests);
        positive("maxEventStreams", maxEventStreams);
        positive("maxConnections", maxConnections);
    }

    public static LoadLimits defaults() {
        return new LoadLimits(10_000, 5_000, 20_000, 1_000, 10_000);
    }

    /** Below this many queued requests or pending writes, new sessions and acquires are admitted. */
    public static int newWorkBound(int bound) {
        return Math.max(1, bound / 2);
    }

    private static void positive(String field, int value) {
        if (value < 1) throw new ConfigException("limits." + field, "must be positive, got " + value);
    }
}
