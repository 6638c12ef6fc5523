package io.warden.server.http;

import io.warden.api.Event;
import java.util.function.Predicate;

/**
 * Which events a watcher wants: {@code prefix} selects lock events whose lock name starts with it
 * (a plain string prefix: "/orders" also matches "/orders2/x"; end it with '/' to mean a subtree),
 * {@code group} selects member events of exactly that group; given both, an event matching either
 * is wanted; given neither, every event is. Pure; runs on the replica loop's thread.
 */
public record EventFilter(String prefix, String group) implements Predicate<Event> {
    public static final EventFilter ALL = new EventFilter(null, null);

    @Override
    public boolean test(Event e) {
        if (prefix == null && group == null) return true;
        if (prefix != null && e.lock() != null && e.lock().startsWith(prefix)) return true;
        return group != null && e.member() != null && group.equals(e.group());
    }
}
