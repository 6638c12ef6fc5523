package io.warden.api;

import java.util.List;
import java.util.Map;

/** Wire records of {@code GET /v1/cell} and {@code GET /health}: one replica's view of the cell. */
public final class CellInfo {
    private CellInfo() {}

    public record View(String cell, int self, String role, Master master, String ballot, long leaseRemainingMillis,
                       long decidedSlot, long appliedSlot, long snapshotSlot, boolean recovering, List<Member> members,
                       Map<String, Object> timings, String configFingerprint, Map<String, Object> limits) {}

    public record Master(int id, String url) {}

    /** A member and its health as the answering replica sees it ({@code reachable}: a live peer connection). */
    public record Member(int id, String url, boolean self, boolean reachable, boolean master) {}

    public record Health(String status, int replica, String role, boolean masterKnown, Integer master, boolean recovering) {}
}
