package io.warden.api;

import java.util.List;

/** Wire records of {@code /v1/acls}. */
public final class Acls {
    private Acls() {}

    /**
     * One ACL entry: on {@code path} ("/" the root, "/jobs/" everything under /jobs, "/jobs/batch-7"
     * that one name), {@code subject} (a principal, {@code group:NAME} or {@code *}: every
     * authenticated caller) has {@code permission}.
     */
    public record Entry(String path, String subject, Permission permission) {}

    /** {@code PUT /v1/acls}: sets (adds or replaces) one entry. */
    public record SetRequest(String path, String subject, String permission) {}

    /** {@code PUT} and {@code DELETE /v1/acls}: what changed, at which event index. */
    public record Changed(String path, String subject, Permission permission, boolean removed, long index) {}

    /** {@code GET /v1/acls?prefix=}: entries whose path starts with the prefix, in path order. */
    public record Listing(String prefix, List<Entry> entries, boolean enforced, long index) {}

    /**
     * {@code GET /v1/acls/check?name=&principal=}: what {@code principal} may do on {@code name},
     * and the entry that decided it (null: none applies, so nothing is granted; or a bootstrap admin).
     */
    public record Check(String name, String principal, Permission permission, Entry decidedBy, boolean bootstrapAdmin,
                        boolean enforced) {}
}
