package io.warden.server.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.glassfish.jersey.message.internal.AcceptableMediaType;
import org.glassfish.jersey.message.internal.Quality;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * Refuses with 406 a request whose Accept header gives every type its resource method produces a
 * weight of 0, which RFC 9110 (section 12.5.1) defines as "not acceptable": Jersey's negotiation
 * serves such a caller anyway (it orders by weight but never excludes a zero one). The weight of
 * a type is that of the most specific range matching it ({@code type/subtype}, then
 * {@code type/*}, then {@code *}{@code /*}), and 0 if none does; the ranges are the ones Jersey's
 * negotiation read from the header (a header it cannot read never gets here). Runs before
 * authentication, where Jersey's own 406 (no range matching at all) comes: before anything is done.
 */
@Priority(Priorities.AUTHENTICATION - 1)
final class ZeroWeightAccept implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext context) {
        String accept = context.getHeaderString(HttpHeaders.ACCEPT);
        if (accept == null || accept.indexOf('=') < 0) return; // no weights given: Jersey's negotiation is right
        ContainerRequest request = (ContainerRequest) context;
        ResourceMethod method = request.getUriInfo().getMatchedResourceMethod();
        if (method == null) return;
        List<AcceptableMediaType> ranges = request.getQualifiedAcceptableMediaTypes();
        List<MediaType> produced = method.getProducedTypes();
        if (produced.isEmpty()) produced = List.of(MediaType.WILDCARD_TYPE);
        for (MediaType type : produced) {
            if (weight(type, ranges) > 0) return;
        }
        throw new NotAcceptableException("the Accept header gives " + produced + " a weight of 0");
    }

    /** The weight (0 to {@link Quality#DEFAULT}) {@code ranges} give {@code type}: the most specific matching range's. */
    static int weight(MediaType type, List<AcceptableMediaType> ranges) {
        int best = 0;
        int weight = 0;
        for (AcceptableMediaType r : ranges) {
            int s = specificity(r, type);
            if (s > best) {
                best = s;
                weight = r.getQuality();
            }
        }
        return weight;
    }

    /** 3 for type/subtype, 2 for type/*, 1 for the wildcard; 0 if {@code range} does not match {@code t}. */
    private static int specificity(MediaType range, MediaType t) {
        if (range.isWildcardType()) return 1;
        if (!range.getType().equalsIgnoreCase(t.getType()) && !t.isWildcardType()) return 0;
        if (range.isWildcardSubtype()) return 2;
        return range.getSubtype().equalsIgnoreCase(t.getSubtype()) || t.isWildcardSubtype() ? 3 : 0;
    }
}
