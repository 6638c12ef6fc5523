package io.warden.api;

/**
 * What a lock grant hands its holder (Chubby's sequencer): the lock, the mode, the holding session
 * and the fencing token. Tokens come from one cell-wide counter, so they strictly increase across
 * every grant of a lock, forever, across fail-overs. A resource server rejects any token lower than
 * the highest it has seen, or asks the cell whether the sequencer is still valid.
 */
public record Sequencer(String lock, LockMode mode, long session, long token) {}
