package io.warden.cli;

import io.warden.api.Sessions;
import io.warden.client.WardenClient;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code warden sessions show ID}: one session in full; exits 5 if the cell does not know it. */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "Show a session: client, timeout, the locks it holds (with tokens), waits for (with queue position), its memberships.")
final class SessionsShowCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "ID", description = "The session id.")
    long id;

    @Override
    public Integer call() {
        Optional<Sessions.Detail> detail;
        try (WardenClient client = common.connect()) {
            detail = client.session(id);
        }
        if (detail.isEmpty()) {
            common.err().println("warden: no such session " + id + " (it never existed, or it was closed or expired)");
            common.err().flush();
            return ExitCodes.NOT_FOUND;
        }
        if (common.json()) {
            common.printJson(detail.get());
        } else {
            print(detail.get(), common.out());
        }
        return ExitCodes.OK;
    }

    private static void print(Sessions.Detail d, PrintWriter out) {
        out.println("session    " + d.session());
        out.println("principal  " + d.principal());
        out.println("client     " + (d.client() == null ? "-" : d.client()));
        out.println("timeout    " + Durations.format(d.timeoutMillis()));
        out.println("created    " + d.created());
        out.println();
        Table holds = new Table("LOCK", "MODE", "TOKEN");
        d.holds().forEach(h -> holds.row(h.lock(), h.mode().wire(), h.token()));
        section(out, "holds", holds);
        Table waits = new Table("LOCK", "MODE", "POSITION", "WAIT-LEFT");
        d.waits().forEach(w -> waits.row(w.lock(), w.mode().wire(), w.position(), Durations.format(w.waitLeftMillis())));
        section(out, "waits for", waits);
        Table groups = new Table("GROUP", "MEMBER");
        d.memberships().forEach(m -> groups.row(m.group(), m.member()));
        section(out, "member of", groups);
        out.flush();
    }

    private static void section(PrintWriter out, String title, Table t) {
        if (t.isEmpty()) {
            out.println(title + ": none");
        } else {
            out.println(title + ":");
            t.print(out, "  ");
        }
    }
}
