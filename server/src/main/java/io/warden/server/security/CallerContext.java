package io.warden.server.security;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The {@link SecurityContext} {@link Authenticator} installs: the caller, and whether the channel was TLS. */
final class CallerContext implements SecurityContext {
    private final Caller caller;
    private final boolean secure;

    CallerContext(Caller caller, boolean secure) {
        this.caller = caller;
        this.secure = secure;
    }

    @Override
    public Principal getUserPrincipal() {
        return caller;
    }

    /** Warden's roles are ACL permissions on names, not global roles: only "admin" (bootstrap) is one. */
    @Override
    public boolean isUserInRole(String role) {
        return "admin".equals(role) && caller.bootstrapAdmin();
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return switch (caller.scheme()) {
            case "token" -> "Bearer";
            case "certificate" -> SecurityContext.CLIENT_CERT_AUTH;
            default -> null;
        };
    }
}
