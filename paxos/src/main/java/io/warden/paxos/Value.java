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

    /**
     * A new member set. Applying one switches the configuration at once, which is safe only if
     * nothing is in flight beyond it: nothing proposes this yet, and membership changes need the
     * α-window rule first (a configuration decided in slot s governs slots from s+α); see
     * docs/paxos.md.
     */
    record Reconfigure(Configuration configuration) implements Value {}

    Value NOOP = new Noop();
}
