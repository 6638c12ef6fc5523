package io.warden.cli;

import io.warden.api.CellInfo;
import io.warden.client.WardenClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code warden status}: every replica's own view of the cell ({@code GET /v1/cell} asked of each,
 * not through the master), so a dead or partitioned replica shows as such. Replicas named in an
 * answering replica's member list are asked too, so one endpoint is enough to see the whole cell.
 * Exits 0 when a replica answers as master, 1 otherwise.
 */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "Show the cell: each replica's role, reachability, master, lease and slots.")
final class StatusCommand implements Callable<Integer> {
    private static final long ASK_MILLIS = 3_000;

    /** One replica as this command found it: its own view, or why it did not answer. */
    record Replica(String url, boolean reachable, String error, CellInfo.View view) {}

    /** The JSON answer: the master if any replica answers as master, and every replica. */
    record Status(String cell, CellInfo.Master master, List<Replica> replicas) {}

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws InterruptedException {
        Status status;
        try (WardenClient client = common.connect()) {
            status = ask(client);
        }
        if (common.json()) {
            common.printJson(status);
        } else {
            print(status);
        }
        if (status.master() == null) {
            common.err().println("warden: no replica answers as master" + (status.replicas().stream().anyMatch(Replica::reachable)
                ? " (an election may be under way)" : " (none answered)"));
            common.err().flush();
            return ExitCodes.ERROR;
        }
        return ExitCodes.OK;
    }

    private static Status ask(WardenClient client) throws InterruptedException {
        Map<String, Replica> found = new LinkedHashMap<>();
        List<String> toAsk = new ArrayList<>(client.endpoints().stream().map(URI::toString).toList());
        while (!toAsk.isEmpty()) {
            Map<String, CompletableFuture<CellInfo.View>> asked = new LinkedHashMap<>();
            for (String url : toAsk) asked.put(url, client.cellAsync(URI.create(url)));
            toAsk = new ArrayList<>();
            for (Map.Entry<String, CompletableFuture<CellInfo.View>> e : asked.entrySet()) {
                Replica r = collect(e.getKey(), e.getValue());
                found.put(e.getKey(), r);
                if (r.view() == null || r.view().members() == null) continue;
                for (CellInfo.Member m : r.view().members()) {
                    if (m.url() != null && !found.containsKey(m.url()) && !asked.containsKey(m.url()) && !toAsk.contains(m.url())) {
                        toAsk.add(m.url());
                    }
                }
            }
        }
        List<Replica> replicas = new ArrayList<>(found.values());
        replicas.sort(Comparator.comparingInt((Replica r) -> r.view() == null ? Integer.MAX_VALUE : r.view().self())
            .thenComparing(Replica::url));
        CellInfo.Master master = null;
        String cell = null;
        for (Replica r : replicas) {
            if (r.view() == null) continue;
            if (cell == null) cell = r.view().cell();
            if ("master".equals(r.view().role())) master = new CellInfo.Master(r.view().self(), r.url());
        }
        return new Status(cell, master, replicas);
    }

    private static Replica collect(String url, CompletableFuture<CellInfo.View> f) throws InterruptedException {
        try {
            return new Replica(url, true, null, f.get(ASK_MILLIS, TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof io.warden.client.WardenException w && w.status() > 0) return new Replica(url, true, w.getMessage(), null);
            return new Replica(url, false, WardenCli.networkCause(c), null);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Replica(url, false, "no answer within " + Durations.format(ASK_MILLIS), null);
        }
    }

    private void print(Status status) {
        Table t = new Table("ID", "URL", "ROLE", "REACHABLE", "MASTER", "LEASE", "DECIDED", "APPLIED", "PEERS", "NOTE");
        for (Replica r : status.replicas()) {
            CellInfo.View v = r.view();
            if (v == null) {
                t.row(idFromPeers(status, r.url()), r.url(), null, r.reachable() ? "yes" : "no", null, null, null, null, null, r.error());
                continue;
            }
            long peersUp = v.members() == null ? 0 : v.members().stream().filter(m -> !m.self() && m.reachable()).count();
            long peers = v.members() == null ? 0 : v.members().stream().filter(m -> !m.self()).count();
            boolean hasLease = "master".equals(v.role()) || v.leaseRemainingMillis() > 0;
            t.row(v.self(), r.url(), v.role(), "yes", v.master() == null ? "none" : v.master().id(),
                hasLease ? Durations.format(v.leaseRemainingMillis()) : "-", v.decidedSlot(), v.appliedSlot(), peersUp + "/" + peers,
                v.recovering() ? "recovering" : "");
        }
        common.out().println("cell " + (status.cell() == null ? "?" : "'" + status.cell() + "'") + ", master: "
            + (status.master() == null ? "none" : "replica " + status.master().id() + " at " + status.master().url()));
        t.print(common.out());
    }

    private static Object idFromPeers(Status status, String url) {
        for (Replica r : status.replicas()) {
            if (r.view() == null || r.view().members() == null) continue;
            for (CellInfo.Member m : r.view().members()) {
                if (url.equals(m.url())) return m.id();
            }
        }
        return null;
    }
}
