package io.warden.paxos.storage;

import io.warden.paxos.Ballot;
import io.warden.paxos.Command;
import io.warden.paxos.Configuration;
import io.warden.paxos.Value;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic content per slot, so a checker that only knows a slot number can tell whether what
 * came back from disk is exactly what was written. Sizes vary so records straddle pages and segments.
 */
final class SlotValues {
    private SlotValues() {}

    static Ballot ballot(long slot) {
        return new Ballot(slot % 7 + 1, (int) (slot % 3) + 1);
    }

    static Value value(long slot) {
        if (slot % 17 == 0) return Value.NOOP;
        if (slot % 29 == 0) return new Value.Reconfigure(Configuration.of(1, 2, (int) (slot % 5) + 3));
        SplittableRandom r = new SplittableRandom(slot);
        int commands = 1 + r.nextInt(3);
        Command[] cs = new Command[commands];
        for (int i = 0; i < commands; i++) {
            byte[] payload = new byte[r.nextInt(400)];
            r.nextBytes(payload);
            cs[i] = new Command(slot, i, payload);
        }
        return new Value.Batch(List.of(cs));
    }

    /** A snapshot's state for a snapshot through {@code lastSlot}. */
    static byte[] state(long lastSlot) {
        SplittableRandom r = new SplittableRandom(~lastSlot);
        byte[] state = new byte[1000 + r.nextInt(100_000)];
        r.nextBytes(state);
        return state;
    }

    static byte[] bytes(long seed, int length) {
        byte[] b = new byte[length];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
