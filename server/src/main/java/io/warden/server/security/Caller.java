package io.warden.server.security;

import io.warden.server.cell.SessionTable;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Set;

/**
 * Who sent a request, as {@link Authenticator} established it: the principal's name, the groups
 * the config puts it in, and whether it is a bootstrap administrator. The request's
 * {@link SecurityContext} carries it as its user principal.
 *
 * @param scheme "token", "certificate", or "none" (authentication off)
 */
public record Caller(String principal, Set<String> groups, boolean bootstrapAdmin, String scheme) implements Principal {
    /** Every caller while authentication is off. */
    public static final Caller ANONYMOUS = new Caller(SessionTable.ANONYMOUS, Set.of(), false, "none");

    public Caller {
        groups = Set.copyOf(groups);
    }

    @Override
    public String getName() {
        return principal;
    }

    /** The caller of the request whose security context this is. */
    public static Caller of(SecurityContext context) {
        return context != null && context.getUserPrincipal() instanceof Caller c ? c : ANONYMOUS;
    }
}
