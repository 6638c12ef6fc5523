package io.warden.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A state change, numbered by a cell-wide increasing index. Types: {@code lock.acquired},
 * {@code lock.released}, {@code lock.expired} (the holder's session expired), {@code lock.broken},
 * {@code lock.wait-timeout}, {@code lock.wait-cancelled} (the waiter released: it gave up), {@code lock.value}, {@code member.joined}, {@code member.left},
 * {@code session.created}, {@code session.closed}, {@code session.expired}, {@code master.changed},
 * {@code register.written}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(long index, String type, String lock, String group, String member, Long session, Long token,
                    LockMode mode, String detail, long wallMillis) {}
