package io.warden.paxos;

import java.util.List;

/** What one slot decides: a batch of client commands, a no-op filling a gap, or a new configuration. */
public sealed interface Value {
    /** Many commands in one slot: batching amortises a Paxos round over them. */
    record Batch(List<Command> commands) implements Value {
        public Batch {
            commands = List.copyOf(commands);
            if (commands.isEmpty()) throw new IllegalArgumentException("a batch holds at least one command");
        }
    }

    /** Fills a slot a deposed master left open (Paxos Made Simple §3). */
    record Noop() implements Value {}

    /** The member set from the slot after this one's window on (see {@link Configuration}). */
    record Reconfigure(Configuration configuration) implements Value {}

    Value NOOP = new Noop();
}
