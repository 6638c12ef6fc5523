package io.warden.server.security;

import io.warden.api.Tokens;
import io.warden.server.cell.AclTable;
import io.warden.server.config.AuthConfig;
import io.warden.server.http.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Establishes who calls: a bearer token ({@code Authorization: Bearer ...}, compared by its SHA-256
 * in constant time against every configured hash) or a client certificate verified by TLS (its CN,
 * see {@link CertificatePrincipal}). A token, when sent, is what counts. With authentication off
 * every caller is {@link Caller#ANONYMOUS}. Missing or invalid credentials are a 401 problem with
 * {@code WWW-Authenticate}. Open without credentials: {@link #OPEN} (liveness, discovery, the API's
 * description), and the metrics servlets, which are outside the API.
 */
@Priority(Priorities.AUTHENTICATION)
public final class Authenticator implements ContainerRequestFilter {
    /** Jakarta Servlet's attribute for the verified client certificate chain (set by Jetty under TLS). */
    public static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    static final Set<String> OPEN = Set.of("health", "v1/cell", "v1/openapi.json");
    private static final String REALM = "Bearer realm=\"warden\"";

    private final AuthConfig auth;
    private final List<byte[]> hashes;

    public Authenticator(AuthConfig auth) {
        this.auth = auth;
        this.hashes = auth.hashes();
    }

    /** Who calls (as a security context), or the 401 answer that refuses the request: exactly one is set. */
    public record Outcome(SecurityContext context, Response refusal) {}

    @Override
    public void filter(ContainerRequestContext request) {
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        Outcome o = authenticate(() -> request.getUriInfo().getPath(), request.getHeaderString(HttpHeaders.AUTHORIZATION),
            request.getProperty(CERTIFICATES_ATTRIBUTE), secure);
        if (o.refusal() != null) request.abortWith(o.refusal()); else request.setSecurityContext(o.context());
    }

    /**
     * Authenticates one request: {@code path} (relative or absolute; asked only with authentication
     * on), its Authorization header and verified certificate chain (either may be null), and
     * whether it came over TLS. Every way into the API calls this.
     */
    public Outcome authenticate(Supplier<String> path, String authorization, Object certificates, boolean secure) {
        if (!auth.enabled()) return new Outcome(new CallerContext(Caller.ANONYMOUS, secure), null);
        Optional<Caller> caller;
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return new Outcome(null, unauthenticated("the Authorization header must be 'Bearer <token>'", true));
            }
            caller = byToken(authorization.substring(7).trim());
            if (caller.isEmpty()) return new Outcome(null, unauthenticated("the bearer token is not one this cell knows", true));
        } else {
            caller = byCertificate(certificates);
        }
        if (caller.isEmpty()) {
            String p = path.get();
            if (OPEN.contains(p.startsWith("/") ? p.substring(1) : p)) return new Outcome(new CallerContext(Caller.ANONYMOUS, secure), null);
            return new Outcome(null, unauthenticated("authentication is required: send 'Authorization: Bearer <token>'"
                + (auth.clientCertificates() ? " or present a client certificate" : ""), false));
        }
        return new Outcome(new CallerContext(caller.get(), secure), null);
    }

    /** The token's principal; every configured hash is compared (no early exit), each in constant time. */
    Optional<Caller> byToken(String token) {
        byte[] presented = Tokens.sha256(token);
        String found = null;
        for (int i = 0; i < hashes.size(); i++) {
            if (MessageDigest.isEqual(presented, hashes.get(i))) found = auth.tokens().get(i).principal();
        }
        return Optional.ofNullable(found).map(p -> caller(p, "token"));
    }

    Optional<Caller> byCertificate(Object attribute) {
        if (!auth.clientCertificates() || !(attribute instanceof X509Certificate[] chain)) return Optional.empty();
        return CertificatePrincipal.of(chain).filter(p -> AclTable.PRINCIPAL.matcher(p).matches()).map(p -> caller(p, "certificate"));
    }

    private Caller caller(String principal, String scheme) {
        return new Caller(principal, auth.groupsOf(principal), auth.admins().contains(principal), scheme);
    }

    private static Response unauthenticated(String detail, boolean invalidToken) {
        Problem p = Problem.of(Response.Status.UNAUTHORIZED, "unauthenticated", detail);
        return Response.fromResponse(p.toResponse())
            .header(HttpHeaders.WWW_AUTHENTICATE, invalidToken ? REALM + ", error=\"invalid_token\"" : REALM).build();
    }
}
