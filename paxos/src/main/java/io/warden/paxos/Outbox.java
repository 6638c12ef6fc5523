package io.warden.paxos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** What the replica's roles produce while handling inputs, collected until the driver asks for it. */
final class Outbox {
    private final int self;
    private final boolean ackBeforeFsync;
    private final boolean ownVoteBeforeSync;
    private final ArrayDeque<Message> local = new ArrayDeque<>();
    private final List<Message> remote = new ArrayList<>();
    private final List<Ready.Applied> applied = new ArrayList<>();
    private final List<Command> abandoned = new ArrayList<>();
    private boolean syncRequired;

    Outbox(int self, boolean ackBeforeFsync, boolean ownVoteBeforeSync) {
        this.self = self;
        this.ackBeforeFsync = ackBeforeFsync;
        this.ownVoteBeforeSync = ownVoteBeforeSync;
    }

    /**
     * Requests to this replica itself are delivered in-process, before the next input. Its replies
     * to itself (its own promise or vote) go to the driver like any other reply, which steps them
     * back in once the sync before them has returned: a vote must not count before it is durable,
     * even when the driver syncs in the background while it handles more inputs.
     */
    void send(Message m) {
        if (m.to() != self) remote.add(m);
        else if (Ready.mayPrecedeSync(m) || ackBeforeFsync || ownVoteBeforeSync) local.add(m);
        else remote.add(m);
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
