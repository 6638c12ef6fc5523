package io.warden.server.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.warden.api.CellInfo;
import io.warden.paxos.ReplicaStatus;
import io.warden.server.config.CellConfig;
import io.warden.server.config.Member;
import io.warden.server.replica.CellStatus;
import io.warden.server.replica.ReplicaLoop;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/cell} and {@code GET /health}: every replica answers, master or not. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class CellResource {
    private static final TypeReference<Map<String, Object>> AS_MAP = new TypeReference<>() {};

    private final ReplicaLoop loop;
    private final CellConfig config;
    /** The timings as JSON shows them (CellConfig.Timings' fields, in order); fixed for the process. */
    private final Map<String, Object> timings;
    /** The cell's limits (identical on every member), then this replica's load limits. */
    private final Map<String, Object> limits;

    public CellResource(ReplicaLoop loop, CellConfig config) {
        this.loop = loop;
        this.config = config;
        this.timings = Collections.unmodifiableMap(JsonMapper.MAPPER.convertValue(config.timings(), AS_MAP));
        Map<String, Object> bounds = new LinkedHashMap<>(JsonMapper.MAPPER.convertValue(config.limits(), AS_MAP));
        bounds.putAll(JsonMapper.MAPPER.convertValue(config.loadLimits(), AS_MAP));
        this.limits = Collections.unmodifiableMap(bounds);
    }

    @GET
    @Path("v1/cell")
    public CellInfo.View cell() {
        CellStatus st = loop.status();
        ReplicaStatus s = st.replica();
        Member master = s.masterId() == 0 ? null : config.member(s.masterId());
        List<CellInfo.Member> members = st.peers().stream().map(p -> new CellInfo.Member(p.id(), config.member(p.id()).clientUrl(),
            p.self(), p.connected(), p.id() == s.masterId())).toList();
        return new CellInfo.View(config.cell(), config.self(), s.role().name().toLowerCase(),
            master == null ? null : new CellInfo.Master(master.id(), master.clientUrl()), s.ballot().toString(),
            s.leaseRemainingMillis(), s.decidedThrough(), s.appliedThrough(), s.snapshotSlot(), s.recovering(),
            members, timings, config.fingerprint(), limits);
    }

    /** Always 200 while the process runs; says whether this replica sees a master. */
    @GET
    @Path("health")
    public CellInfo.Health health() {
        ReplicaStatus s = loop.status().replica();
        return new CellInfo.Health("running", config.self(), s.role().name().toLowerCase(), s.masterId() != 0,
            s.masterId() == 0 ? null : s.masterId(), s.recovering());
    }
}
