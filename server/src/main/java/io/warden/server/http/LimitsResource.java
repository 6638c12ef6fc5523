package io.warden.server.http;

import io.warden.server.cell.Limits;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;

/** {@code GET /v1/limits}: the bounds the cell enforces (sizes, quotas, timeouts), as the master holds them. */
@Path("v1/limits")
@Produces(MediaType.APPLICATION_JSON)
public final class LimitsResource {
    private final CellGateway cell;

    public LimitsResource(CellGateway cell) {
        this.cell = cell;
    }

    @GET
    public CompletionStage<Limits> limits() {
        return cell.limits();
    }
}
