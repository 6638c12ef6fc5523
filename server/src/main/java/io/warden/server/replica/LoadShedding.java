package io.warden.server.replica;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.warden.server.cell.CellCommand;
import io.warden.server.config.LoadLimits;
import java.util.function.IntSupplier;

/**
 * The one place that decides what counts as new work and refuses work past a {@link LoadLimits}
 * bound, counting every refusal per limit ({@code warden.shed.<limit>} on /metrics).
 *
 * <p>Cheapest first (the Chubby overload lesson: overload must not expire healthy sessions): new
 * sessions, acquires, joins and puts are refused once a queue is half full; work on what exists
 * (releases, closes, values, reads) is refused only when it is full; KeepAlives never pass through
 * these bounds. Thread-safe.
 */
public final class LoadShedding {
    /** The limits whose refusals are counted; registered up front so /metrics shows them at zero. */
    static final String[] LIMITS = {"maxQueuedRequests", "maxPendingWrites", "maxHeldRequests", "maxEventStreams",
        "urgentQueue"};

    private final MetricRegistry registry;
    private final LoadLimits limits;

    public LoadShedding(MetricRegistry registry, LoadLimits limits) {
        this.registry = registry;
        this.limits = limits;
        for (String l : LIMITS) registry.counter(counterName(l));
    }

    public LoadLimits limits() {
        return limits;
    }

    /** Work that creates something (and so can wait), as opposed to work on what already exists. */
    public static boolean isNewWork(CellCommand c) {
        return c instanceof CellCommand.CreateSession || c instanceof CellCommand.Acquire || c instanceof CellCommand.Join
            || c instanceof CellCommand.Put;
    }

    /** How many of {@code bound} a request may find taken and still be admitted. */
    public static int admitBelow(int bound, boolean newWork) {
        return newWork ? LoadLimits.newWorkBound(bound) : bound;
    }

    /** Counts a refusal under {@code limit} and returns the exception that answers it. */
    public OverloadedException refuse(String limit, int bound, boolean newWork) {
        registry.counter(counterName(limit)).inc();
        String what = newWork ? "new work (sessions, acquires, joins) is refused from " + LoadLimits.newWorkBound(bound)
            : "the bound is " + bound;
        return new OverloadedException(limit, "this replica is overloaded (" + limit + ": " + what + "); retry after the "
            + "Retry-After delay, with the same request id");
    }

    /** Shows how much of {@code limit} is taken now ({@code warden.load.<limit>} on /metrics). */
    public void showInUse(String limit, IntSupplier inUse) {
        Gauge<Integer> gauge = inUse::getAsInt;
        registry.gauge("warden.load." + limit, () -> gauge);
    }

    /** Counts something dropped under {@code limit} with nobody to answer (a peer message). */
    void dropped(String limit) {
        registry.counter(counterName(limit)).inc();
    }

    static String counterName(String limit) {
        return "warden.shed." + limit;
    }
}
