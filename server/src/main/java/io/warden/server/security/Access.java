package io.warden.server.security;

import io.warden.api.Permission;
import io.warden.server.cell.AclTable;
import io.warden.server.cell.CellState;
import io.warden.server.config.AuthConfig;
import io.warden.server.http.ApiException;
import io.warden.server.http.CellGateway;
import io.warden.server.http.Problem;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;

/**
 * Authorization: whether a {@link Caller} holds a permission on a name, by the replicated ACLs
 * ({@link AclTable}) read on the master, plus the config's bootstrap administrators. A refusal is a
 * 403 problem naming the principal, the permission it lacks and the name. With authentication off
 * everything is allowed.
 *
 * <p>The check is a linearizable read made just before the command is proposed (as ZooKeeper's
 * leader checks ACLs before it proposes): an ACL change that lands between the two does not stop
 * that one command.
 */
public final class Access {
    /** Sessions have no name: using or ending another principal's session needs admin here. */
    public static final String ROOT = "/";

    private final AuthConfig auth;
    private final CellGateway cell;

    public Access(AuthConfig auth, CellGateway cell) {
        this.auth = auth;
        this.cell = cell;
    }

    /** Whether ACLs are enforced (authentication is on). */
    public boolean enforced() {
        return auth.enabled();
    }

    /** The caller {@code principal} would be, had it authenticated (for checks on its behalf). */
    public Caller callerNamed(String principal) {
        return new Caller(principal, auth.groupsOf(principal), auth.admins().contains(principal), "check");
    }

    /** Completes when {@code caller} has {@code needed} on {@code name}; fails with a 403 otherwise. */
    public CompletableFuture<Void> require(Caller caller, Permission needed, String name) {
        if (!enforced() || caller.bootstrapAdmin()) return CompletableFuture.completedFuture(null);
        return cell.read(s -> refusal(s, caller, needed, name)).thenApply(Access::orThrow);
    }

    /**
     * As {@link #require}, on {@code prefix} and on every ACL path below it, hence on every name
     * under the prefix: a decision can only change at a path that carries entries, and there the
     * name's decision is the path's. For what shows names below a prefix at once (a watch).
     */
    public CompletableFuture<Void> requireBelow(Caller caller, Permission needed, String prefix) {
        if (!enforced() || caller.bootstrapAdmin()) return CompletableFuture.completedFuture(null);
        return cell.read(s -> {
            Problem p = refusal(s, caller, needed, prefix);
            for (var e : s.aclEntries(prefix)) {
                if (p != null) break;
                p = refusal(s, caller, needed, e.path());
            }
            return p;
        }).thenApply(Access::orThrow);
    }

    /**
     * As {@link #require}, and {@code session} must be the caller's own (or the caller an
     * administrator of "/"). A session that does not exist passes: the command answers 404.
     */
    public CompletableFuture<Void> requireSession(Caller caller, long session, Permission needed, String name) {
        if (!enforced() || caller.bootstrapAdmin()) return CompletableFuture.completedFuture(null);
        return cell.read(s -> {
            Problem p = sessionRefusal(s, caller, session);
            return p != null ? p : refusal(s, caller, needed, name);
        }).thenApply(Access::orThrow);
    }

    /** Loop thread only (inside a read): whether {@code caller} has {@code needed} on {@code name}. */
    public boolean allows(CellState s, Caller caller, Permission needed, String name) {
        return !enforced() || caller.bootstrapAdmin() || s.decide(caller.principal(), caller.groups(), name).permission().includes(needed);
    }

    /** Loop thread only: the 403 for using {@code session}, or null if the caller may. */
    public Problem sessionRefusal(CellState s, Caller caller, long session) {
        if (!enforced() || caller.bootstrapAdmin()) return null;
        String owner = s.sessionPrincipal(session);
        if (owner == null || owner.equals(caller.principal()) || allows(s, caller, Permission.ADMIN, ROOT)) return null;
        return Problem.of(Response.Status.FORBIDDEN, "forbidden", "session " + session + " belongs to " + owner + ", not "
            + caller.principal() + "; only its owner, or a principal with 'admin' on /, may use or end it")
            .with("principal", caller.principal()).with("permission", Permission.ADMIN.wire()).with("name", ROOT)
            .with("session", session);
    }

    private Problem refusal(CellState s, Caller caller, Permission needed, String name) {
        AclTable.Decision d = s.decide(caller.principal(), caller.groups(), name);
        if (d.permission().includes(needed)) return null;
        String why = d.decidedBy() == null ? "no ACL entry grants it anything there"
            : "the entry " + d.decidedBy().subject() + " " + d.decidedBy().permission().wire() + " on " + d.decidedBy().path() + " decides";
        return Problem.of(Response.Status.FORBIDDEN, "forbidden", caller.principal() + " lacks '" + needed.wire() + "' on " + name
            + " (" + why + ")").with("principal", caller.principal()).with("permission", needed.wire()).with("name", name);
    }

    private static Void orThrow(Problem p) {
        if (p != null) throw new ApiException(p);
        return null;
    }
}
