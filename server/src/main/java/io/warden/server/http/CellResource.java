package io.warden.server.http;

import io.warden.paxos.ReplicaStatus;
import io.warden.server.config.CellConfig;
import io.warden.server.config.Member;
import io.warden.server.replica.CellStatus;
import io.warden.server.replica.ReplicaLoop;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /v1/cell} and {@code GET /health}: every replica answers, master or not. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class CellResource {
    /** The cell as this replica sees it. */
    public record CellView(String cell, int self, String role, MasterView master, String ballot, long leaseRemainingMillis,
                           long decidedSlot, long appliedSlot, long snapshotSlot, boolean recovering,
                           List<MemberView> members, CellConfig.Timings timings, String configFingerprint) {}

    public record MasterView(int id, String url) {}

    /** A member and its health as this replica sees it ({@code reachable}: a live peer connection). */
    public record MemberView(int id, String url, boolean self, boolean reachable, boolean master) {}

    public record Health(String status, int replica, String role, boolean masterKnown, Integer master, boolean recovering) {}

    private final ReplicaLoop loop;
    private final CellConfig config;

    public CellResource(ReplicaLoop loop, CellConfig config) {
        this.loop = loop;
        this.config = config;
    }

    @GET
    @Path("v1/cell")
    public CellView cell() {
        CellStatus st = loop.status();
        ReplicaStatus s = st.replica();
        Member master = s.masterId() == 0 ? null : config.member(s.masterId());
        List<MemberView> members = st.peers().stream().map(p -> new MemberView(p.id(), config.member(p.id()).clientUrl(),
            p.self(), p.connected(), p.id() == s.masterId())).toList();
        return new CellView(config.cell(), config.self(), s.role().name().toLowerCase(),
            master == null ? null : new MasterView(master.id(), master.clientUrl()), s.ballot().toString(),
            s.leaseRemainingMillis(), s.decidedThrough(), s.appliedThrough(), s.snapshotSlot(), s.recovering(),
            members, config.timings(), config.fingerprint());
    }

    /** Always 200 while the process runs; says whether this replica sees a master. */
    @GET
    @Path("health")
    public Health health() {
        ReplicaStatus s = loop.status().replica();
        return new Health("running", config.self(), s.role().name().toLowerCase(), s.masterId() != 0,
            s.masterId() == 0 ? null : s.masterId(), s.recovering());
    }
}
