package io.warden.cli;

import io.warden.api.Event;
import io.warden.client.EventFilter;
import io.warden.client.EventSubscription;
import io.warden.client.WardenClient;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code warden watch [PREFIX]}: the cell's events as they happen, one per line, in index order with
 * no gap, resuming by itself across fail-overs. Starts right after the state a listing would show
 * now, or at {@code --from INDEX} (1: everything the cell still retains). If the events asked for
 * were compacted away, it says so on stderr and goes on from the cell's current index.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = WardenCli.Version.class,
    description = "Print events (lock.acquired, lock.released, member.joined, session.expired, ...) as they happen.",
    footerHeading = "%nExamples:%n",
    footer = {"  warden watch /jobs/                     # from now on, until Ctrl-C",
        "  warden watch --group /services/api -o json",
        "  warden watch --from 1 --count 100       # the oldest 100 events retained"})
final class WatchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", description = "Only events of locks whose names start with this.")
    String prefix;

    @Option(names = "--group", paramLabel = "GROUP", description = "Only events of this group (joins and leaves).")
    String group;

    @Option(names = "--from", paramLabel = "INDEX", description = "Start at this event index (default: from now on; 1: all retained).")
    Long from;

    @Option(names = "--count", paramLabel = "N", description = "Exit after printing N events.")
    Integer count;

    @Override
    public Integer call() throws InterruptedException {
        String p = prefix == null ? null : CommonOptions.path(prefix);
        String g = group == null ? null : CommonOptions.path(group);
        CountDownLatch enough = new CountDownLatch(1);
        AtomicInteger printed = new AtomicInteger();
        try (WardenClient client = common.connect()) {
            long start = from != null ? from : now(client, p, g);
            EventSubscription sub = client.watch(new EventFilter(p, g), start, new EventSubscription.Listener() {
                @Override
                public void event(Event e) {
                    if (count != null && printed.get() >= count) return;
                    print(e);
                    if (count != null && printed.incrementAndGet() >= count) enough.countDown();
                }

                @Override
                public void resync(long lastIndex) {
                    common.err().println("warden: events up to " + lastIndex + " were compacted away; "
                        + "re-read the state (locks ls, members ls) and go on from " + (lastIndex + 1));
                    common.err().flush();
                }
            });
            try {
                enough.await();
            } finally {
                sub.close();
            }
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            return ExitCodes.INTERRUPTED;
        }
    }

    /** The index right after what a listing shows now: the events from here on are new. */
    private static long now(WardenClient client, String prefix, String group) {
        if (group != null) return client.members(group).index() + 1;
        return client.locks(prefix).index() + 1;
    }

    private void print(Event e) {
        if (common.json()) {
            common.printJsonLine(e);
            return;
        }
        StringBuilder b = new StringBuilder();
        b.append(e.index()).append("  ").append(Instant.ofEpochMilli(e.wallMillis())).append("  ");
        b.append(String.format("%-17s", e.type()));
        String subject = e.lock() != null ? e.lock() : e.group() != null ? e.group() : "";
        b.append(' ').append(subject);
        if (e.member() != null) b.append("  member=").append(e.member());
        if (e.session() != null) b.append("  session=").append(e.session());
        if (e.token() != null) b.append("  token=").append(e.token());
        if (e.mode() != null) b.append("  mode=").append(e.mode().wire());
        if (e.detail() != null) b.append("  (").append(e.detail()).append(')');
        common.out().println(b.toString().replaceAll(" +$", ""));
        common.out().flush();
    }
}
