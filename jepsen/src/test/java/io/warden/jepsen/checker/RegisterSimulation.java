package io.warden.jepsen.checker;

import io.warden.jepsen.history.Functions;
import io.warden.jepsen.history.HistoryRecorder;
import io.warden.jepsen.history.Op;
import io.warden.jepsen.history.OpType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Generates histories from real sequential registers, so they are linearizable by construction:
 * each op takes effect at one instant strictly inside its interval (an {@code info} op at any
 * instant after its invoke, even after its {@code info} was recorded, or never). Every written
 * value is unique, which lets tests plant provably stale reads. Seeded: one seed, one history.
 */
final class RegisterSimulation {
    private final SplittableRandom random;
    private final int keys;
    private final double infoRate;
    private final int valueRange;
    private final HistoryRecorder recorder;
    private final PriorityQueue<long[]> events = new PriorityQueue<>((a, b) ->
            a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1])); // {time, seq, kind, process}
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final Map<String, Long> registers = new HashMap<>();
    private long now;
    private long seq;
    private long nextValue = 1;

    private static final int INVOKE = 0;
    private static final int EFFECT = 1;
    private static final int COMPLETE = 2;

    /** An op in flight: what it does, and what the register said when it took effect. */
    private static final class Pending {
        String f;
        String key;
        Object value;
        boolean info;
        boolean applied;
        Object result;
        boolean failed;
    }

    private RegisterSimulation(long seed, int keys, double infoRate, int valueRange) {
        this.random = new SplittableRandom(seed);
        this.keys = keys;
        this.infoRate = infoRate;
        this.valueRange = valueRange;
        this.recorder = new HistoryRecorder(() -> now, op -> {});
    }

    /** A history of {@code ops} operations by {@code processes} concurrent clients over {@code keys} registers. */
    static List<Op> generate(long seed, int processes, int keys, int ops, double infoRate) {
        return generate(seed, processes, keys, ops, infoRate, 0);
    }

    /**
     * As {@link #generate(long, int, int, int, double)}, but values are drawn from
     * {@code 0..valueRange-1} (0: every written value unique), as Knossos's register tests do:
     * repeated values make the search harder.
     */
    static List<Op> generate(long seed, int processes, int keys, int ops, double infoRate, int valueRange) {
        RegisterSimulation sim = new RegisterSimulation(seed, keys, infoRate, valueRange);
        for (int p = 0; p < processes; p++) {
            sim.schedule(sim.random.nextInt(4), INVOKE, sim.recorder.newProcess());
        }
        int invoked = 0;
        while (!sim.events.isEmpty()) {
            long[] e = sim.events.poll();
            sim.now = e[0];
            int process = (int) e[3];
            switch ((int) e[2]) {
                case INVOKE -> {
                    if (invoked < ops) {
                        invoked++;
                        sim.invoke(process);
                    }
                }
                case EFFECT -> sim.takeEffect(sim.pending.get(process));
                default -> sim.complete(process);
            }
        }
        return sim.recorder.history();
    }

    private void invoke(int process) {
        Pending op = new Pending();
        op.key = "k" + random.nextInt(keys);
        int roll = random.nextInt(10);
        if (roll < 4) {
            op.f = Functions.READ;
        } else if (roll < 7) {
            op.f = Functions.WRITE;
            op.value = newValue();
        } else {
            op.f = Functions.CAS;
            Long current = registers.get(op.key);
            Object expected = random.nextBoolean() ? current : (Object) (long) random.nextInt((int) nextValue);
            op.value = Arrays.asList(expected, newValue());
        }
        op.info = random.nextDouble() < infoRate;
        pending.put(process, op);
        recorder.invoke(process, op.f, op.key, op.value);
        if (op.info) {
            if (random.nextBoolean()) {
                schedule(now + 1 + random.nextInt(12), EFFECT, process); // maybe after the info
            }
            schedule(now + 1 + random.nextInt(4), COMPLETE, process);
        } else {
            long effect = now + 1 + random.nextInt(5);
            schedule(effect, EFFECT, process);
            schedule(effect + random.nextInt(5), COMPLETE, process); // same instant: after the effect
        }
    }

    private long newValue() {
        return valueRange == 0 ? nextValue++ : random.nextInt(valueRange);
    }

    private void takeEffect(Pending op) {
        op.applied = true;
        Long current = registers.get(op.key);
        switch (op.f) {
            case Functions.READ -> op.result = current;
            case Functions.WRITE -> registers.put(op.key, (Long) op.value);
            default -> {
                List<?> cas = (List<?>) op.value;
                if (Objects.equals(current, cas.get(0))) {
                    registers.put(op.key, (Long) cas.get(1));
                } else {
                    op.failed = true;
                }
            }
        }
    }

    private void complete(int process) {
        Pending op = pending.get(process);
        if (op.info) {
            recorder.info(process, "timeout");
            schedule(now + 1, INVOKE, recorder.newProcess()); // a fresh process replaces it
            return; // its effect, if scheduled, may still come
        }
        pending.remove(process);
        if (op.failed) {
            recorder.fail(process, "cas mismatch");
        } else {
            recorder.ok(process, op.f.equals(Functions.READ) ? op.result : op.value);
        }
        schedule(now + random.nextInt(3), INVOKE, process);
    }

    private void schedule(long time, int kind, int process) {
        events.add(new long[] {time, seq++, kind, process});
    }

    /**
     * Plants a read the register cannot have returned: an ok read now returns a value that was
     * overwritten (by a write acknowledged before the read began) after its own write was
     * acknowledged; failing such a pair, a value nobody wrote. Needs unique written values.
     */
    static List<Op> corruptOneRead(List<Op> history, long seed) {
        int at = pickOkRead(history, seed);
        return replaceResult(history, at, StaleValues.find(history, at).orElse(-1L));
    }

    /** Plants a read of a value nobody wrote (-1): invalid whatever the values written. */
    static List<Op> plantUnwrittenRead(List<Op> history, long seed) {
        return replaceResult(history, pickOkRead(history, seed), -1L);
    }

    private static int pickOkRead(List<Op> history, long seed) {
        List<Integer> reads = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            Op op = history.get(i);
            if (op.type() == OpType.OK && op.f().equals(Functions.READ)) {
                reads.add(i);
            }
        }
        if (reads.isEmpty()) {
            throw new IllegalStateException("no ok read to corrupt");
        }
        return reads.get(new SplittableRandom(seed).nextInt(reads.size()));
    }

    private static List<Op> replaceResult(List<Op> history, int at, Object planted) {
        List<Op> corrupted = new ArrayList<>(history);
        Op read = history.get(at);
        corrupted.set(at, new Op(read.process(), read.type(), read.f(), read.key(), planted, read.time()));
        return corrupted;
    }
}
