package io.warden.server.replica;

import io.warden.api.Event;
import io.warden.server.cell.CellState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Long-poll watches on the event log: a watch asks for events from an index that match a filter,
 * and is answered as soon as one exists (or when it times out, with none). Loop thread only.
 */
public final class EventWatches {
    /** What a watch gets: events from the index asked, or a resync when that history was compacted. */
    public record Batch(List<Event> events, long lastIndex, boolean resync, long firstRetained) {}

    private record Watch(long from, Predicate<Event> filter, int max, CompletableFuture<Batch> future) {}

    private final List<Watch> watches = new ArrayList<>();

    /** Answers at once if it can; otherwise keeps the watch until {@link #check} can. */
    void add(CellState state, long from, Predicate<Event> filter, int max, CompletableFuture<Batch> future) {
        watches.removeIf(old -> old.future.isDone()); // timed out or abandoned by their callers
        Watch w = new Watch(from, filter, max, future);
        if (!tryAnswer(state, w)) watches.add(w);
    }

    void check(CellState state) {
        for (Iterator<Watch> it = watches.iterator(); it.hasNext(); ) {
            Watch w = it.next();
            if (w.future.isDone() || tryAnswer(state, w)) it.remove();
        }
    }

    void failAll(RuntimeException e) {
        for (Watch w : watches) w.future.completeExceptionally(e);
        watches.clear();
    }

    int size() {
        return watches.size();
    }

    private static boolean tryAnswer(CellState state, Watch w) {
        if (w.from < state.firstRetainedEvent() && w.from <= state.lastEventIndex()) {
            return w.future.complete(new Batch(List.of(), state.lastEventIndex(), true, state.firstRetainedEvent()));
        }
        if (w.from > state.lastEventIndex()) return false;
        List<Event> matching = new ArrayList<>();
        long scanned = w.from - 1;
        for (Event e : state.eventsFrom(w.from, Integer.MAX_VALUE)) {
            scanned = e.index();
            if (w.filter.test(e)) {
                matching.add(e);
                if (matching.size() >= w.max) break;
            }
        }
        if (matching.isEmpty()) return false;
        return w.future.complete(new Batch(matching, scanned, false, state.firstRetainedEvent()));
    }
}
