package io.warden.cli;

import io.warden.api.Locks;
import io.warden.client.WardenClient;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code warden locks show NAME}: who holds the lock (session, principal, client, mode, token, since when), who
 * waits (in the order they will be granted), the lock-delay still to run, and the value. Exits 5
 * when the cell knows nothing of the lock.
 */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "Show a lock: holders, waiters in grant order, lock-delay left, value.")
final class LocksShowCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "NAME", description = "The lock, like /jobs/nightly.")
    String name;

    @Override
    public Integer call() {
        String lock = CommonOptions.path(name);
        Optional<Locks.View> view;
        try (WardenClient client = common.connect()) {
            view = client.inspect(lock);
        }
        if (view.isEmpty()) {
            common.err().println("warden: no such lock " + lock + " (nobody holds, waits for or delays it, and it has no value)");
            common.err().flush();
            return ExitCodes.NOT_FOUND;
        }
        if (common.json()) {
            common.printJson(view.get());
        } else {
            print(view.get(), common.out());
        }
        return ExitCodes.OK;
    }

    static void print(Locks.View v, PrintWriter out) {
        out.println("lock        " + v.lock());
        out.println("value       " + (v.value() == null ? "-" : v.value()));
        out.println("lock-delay  " + (v.lockDelayLeftMillis() > 0 ? Durations.format(v.lockDelayLeftMillis()) + " left" : "none"));
        out.println("as of       event " + v.index());
        out.println();
        if (v.holders().isEmpty()) {
            out.println("holders: none");
        } else {
            out.println("holders:");
            Table h = new Table("SESSION", "PRINCIPAL", "CLIENT", "MODE", "TOKEN", "LOCK-DELAY", "ACQUIRED");
            for (Locks.Holder x : v.holders()) {
                h.row(x.session(), x.principal(), x.client(), x.mode().wire(), x.token(), Durations.format(x.lockDelayMillis()), x.acquiredAt());
            }
            h.print(out, "  ");
        }
        if (v.waiters().isEmpty()) {
            out.println("waiters: none");
        } else {
            out.println("waiters (in grant order):");
            Table w = new Table("POS", "SESSION", "PRINCIPAL", "CLIENT", "MODE", "WAIT-LEFT", "ENQUEUED");
            for (Locks.Waiter x : v.waiters()) {
                w.row(x.position(), x.session(), x.principal(), x.client(), x.mode().wire(), Durations.format(x.waitLeftMillis()), x.enqueuedAt());
            }
            w.print(out, "  ");
        }
        out.flush();
    }
}
