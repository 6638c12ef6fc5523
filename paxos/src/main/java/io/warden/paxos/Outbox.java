package io.warden.paxos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** What the replica's roles produce while handling inputs, collected until the driver asks for it. */
final class Outbox {
    private final int self;
    private final boolean ackBeforeFsync;
    private final ArrayDeque<Message> local = new ArrayDeque<>();
    private final List<Message> remote = new ArrayList<>();
    private final List<Ready.Applied> applied = new ArrayList<>();
    private final List<Command> abandoned = new ArrayList<>();
    private boolean syncRequired;

    Outbox(int self, boolean ackBeforeFsync) {
        this.self = self;
        this.ackBeforeFsync = ackBeforeFsync;
    }

    /** Messages to this replica itself are delivered in-process, before the next input. */
    void send(Message m) {
        if (m.to() == self) local.add(m); else remote.add(m);
    }

    Message pollLocal() {
        return local.poll();
    }

    void requireSync() {
        syncRequired = true;
    }

    void applied(List<Ready.Applied> results) {
        applied.addAll(results);
    }

    void abandoned(List<Command> commands) {
        abandoned.addAll(commands);
    }

    Ready drain() {
        Ready r = new Ready(syncRequired && !ackBeforeFsync, remote, applied, abandoned);
        remote.clear();
        applied.clear();
        abandoned.clear();
        syncRequired = false;
        return r;
    }
}
