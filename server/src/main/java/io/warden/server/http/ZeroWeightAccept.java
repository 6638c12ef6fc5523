package io.warden.server.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * Refuses with 406 a request whose Accept header gives every type its resource method produces a
 * weight of 0, which RFC 9110 (section 12.5.1) defines as "not acceptable": Jersey's negotiation
 * serves such a caller anyway (it orders by weight but never excludes a zero one). The weight of
 * a type is that of the most specific range matching it ({@code type/subtype}, then
 * {@code type/*}, then {@code *}{@code /*}), and 0 if none does. Runs before authentication, where
 * Jersey's own 406 (no range matching at all) comes: before anything is done. An Accept header
 * this cannot read is left to Jersey.
 */
@Priority(Priorities.AUTHENTICATION - 1)
final class ZeroWeightAccept implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        if (accept == null || accept.indexOf('=') < 0) return; // no weights given: Jersey's negotiation is right
        ResourceMethod method = ((ContainerRequest) request).getUriInfo().getMatchedResourceMethod();
        if (method == null) return;
        List<Range> ranges = parse(accept);
        if (ranges == null) return;
        List<MediaType> produced = method.getProducedTypes();
        if (produced.isEmpty()) produced = List.of(MediaType.WILDCARD_TYPE);
        for (MediaType type : produced) {
            if (weight(type, ranges) > 0) return;
        }
        throw new NotAcceptableException("the Accept header gives " + produced + " a weight of 0");
    }

    /** One media range of an Accept header: type, subtype (either may be *) and weight. */
    record Range(String type, String subtype, double weight) {
        /** 3 for type/subtype, 2 for type/*, 1 for the wildcard; 0 if it does not match {@code t}. */
        int specificityFor(MediaType t) {
            if (type.equals("*")) return 1;
            if (!type.equalsIgnoreCase(t.getType()) && !t.isWildcardType()) return 0;
            if (subtype.equals("*")) return 2;
            return subtype.equalsIgnoreCase(t.getSubtype()) || t.isWildcardSubtype() ? 3 : 0;
        }
    }

    static double weight(MediaType type, List<Range> ranges) {
        int best = 0;
        double weight = 0;
        for (Range r : ranges) {
            int s = r.specificityFor(type);
            if (s > best) {
                best = s;
                weight = r.weight();
            }
        }
        return weight;
    }

    /** The ranges of {@code accept}, or null if it is not a list of media ranges with valid weights. */
    static List<Range> parse(String accept) {
        List<Range> ranges = new ArrayList<>();
        for (String part : accept.split(",")) {
            String[] fields = part.split(";");
            String mediaRange = fields[0].trim();
            if (mediaRange.isEmpty()) continue; // an empty element of the list
            int slash = mediaRange.indexOf('/');
            if (slash <= 0 || slash == mediaRange.length() - 1) return null;
            double weight = 1;
            for (int i = 1; i < fields.length; i++) {
                String p = fields[i].trim();
                if (!p.toLowerCase(Locale.ROOT).startsWith("q=")) continue;
                try {
                    weight = Double.parseDouble(p.substring(2).trim());
                } catch (NumberFormatException e) {
                    return null;
                }
                if (!(weight >= 0 && weight <= 1)) return null;
            }
            ranges.add(new Range(mediaRange.substring(0, slash).trim(), mediaRange.substring(slash + 1).trim(), weight));
        }
        return ranges;
    }
}
