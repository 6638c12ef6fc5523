package io.warden.api;

import java.util.List;

/** Wire records of {@code /v1/events}. */
public final class Events {
    private Events() {}

    /** A long-poll's answer: matching events from the index asked; resume from {@code next}. */
    public record Page(List<Event> events, long lastIndex, long next) {}
}
