package io.warden.jepsen.nemesis;

import io.warden.jepsen.history.HistoryRecorder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Runs the nemeses on one thread of its own: quiet for a while, then one group of faults for the
 * longest of their durations, then heal, and again, until {@link #stopAndHeal}. A group is one
 * nemesis, or several that always strike together (e.g. a partition and a clock skew); when
 * {@code combine} is on, a cycle sometimes adds the next group too. Groups take turns in a seeded
 * shuffled round, so a run of {@code k} cycles with {@code k} groups hits every one of them.
 *
 * <p>Every injection and heal is recorded in the history by the schedule's own process, as Jepsen
 * records its nemesis: an invoke of the nemesis's start op, completed {@code ok} with what was done
 * (or {@code fail} if it could not be), and later the stop op likewise. Both carry the fault's
 * number under {@code "fault"}, which pairs them into a fault window. A nemesis that is unavailable
 * here (see {@link Nemesis#unavailable()}) is reported skipped, with its reason, and never run.
 *
 * <p>Threading: {@link #start()} and {@link #stopAndHeal} from one controlling thread.
 */
public final class NemesisSchedule {
    /** What the schedule did: faults injected and failed per nemesis, nemeses skipped and why. */
    public record Summary(Map<String, Integer> injected, Map<String, Integer> failed, Map<String, String> skipped) {
        public Summary {
            injected = Collections.unmodifiableMap(new TreeMap<>(injected));
            failed = Collections.unmodifiableMap(new TreeMap<>(failed));
            skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
        }

        /** Faults injected, over all nemeses. */
        public int total() {
            return injected.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private record Active(Nemesis nemesis, Fault fault, long id) {}

    private final List<Nemesis> all = new ArrayList<>();
    private final List<List<Nemesis>> usable = new ArrayList<>();
    private final Map<String, String> skipped = new LinkedHashMap<>();
    private final boolean combine;
    private final HistoryRecorder recorder;
    private final RandomGenerator random;
    private final Duration quietMin;
    private final Duration quietMax;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Map<String, Integer> injected = new LinkedHashMap<>();
    private final Map<String, Integer> failed = new LinkedHashMap<>();
    private final Deque<List<Nemesis>> round = new ArrayDeque<>();
    private final int process;
    private Thread thread;
    private long nextFault = 1;

    /**
     * A schedule over groups of nemeses (each group strikes at once); asks each nemesis whether it
     * is available here, and leaves out those that are not (a group left empty is dropped). Between
     * faults it waits a random time in [{@code quietMin}, {@code quietMax}].
     */
    public NemesisSchedule(List<List<Nemesis>> groups, boolean combine, HistoryRecorder recorder,
                           RandomGenerator random, Duration quietMin, Duration quietMax) {
        this.combine = combine;
        this.recorder = recorder;
        this.random = random;
        this.quietMin = quietMin;
        this.quietMax = quietMax;
        Map<Nemesis, Boolean> available = new LinkedHashMap<>();
        for (List<Nemesis> group : groups) {
            List<Nemesis> ok = new ArrayList<>();
            for (Nemesis n : group) {
                boolean can = available.computeIfAbsent(n, k -> {
                    all.add(k);
                    Optional<String> why = k.unavailable();
                    why.ifPresent(reason -> skipped.put(k.name(), reason));
                    return why.isEmpty();
                });
                if (can) {
                    ok.add(n);
                    injected.putIfAbsent(n.name(), 0);
                    failed.putIfAbsent(n.name(), 0);
                }
            }
            if (!ok.isEmpty()) {
                usable.add(List.copyOf(ok));
            }
        }
        this.process = recorder.newProcess();
    }

    /** A schedule where every nemesis strikes alone. */
    public static NemesisSchedule single(List<Nemesis> nemeses, boolean combine, HistoryRecorder recorder,
                                         RandomGenerator random, Duration quietMin, Duration quietMax) {
        return new NemesisSchedule(nemeses.stream().map(List::of).toList(), combine, recorder, random, quietMin, quietMax);
    }

    /** The history process the nemesis records its ops under. */
    public int process() {
        return process;
    }

    /** The groups that will run, e.g. {@code [partition+clock, kill]}. */
    public List<String> usable() {
        return usable.stream().map(g -> String.join("+", g.stream().map(Nemesis::name).toList())).toList();
    }

    /** The nemeses that will not run here, and why. */
    public Map<String, String> skipped() {
        return Map.copyOf(skipped);
    }

    /** Starts the schedule's thread (a no-op schedule if no nemesis is usable). */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::loop, "jepsen-nemesis");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops injecting, heals whatever is in place (each nemesis's {@link Nemesis#healAll()} too),
     * and waits up to {@code timeout} for that. Returns what was done.
     */
    public Summary stopAndHeal(Duration timeout) throws InterruptedException {
        stop.countDown();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.join(timeout.toMillis());
            if (t.isAlive()) {
                System.err.println("[jepsen] the nemesis did not finish healing within " + timeout);
            }
        }
        for (Nemesis n : all) {
            n.healAll();
        }
        synchronized (this) {
            return new Summary(injected, failed, skipped);
        }
    }

    private void loop() {
        Deque<Active> active = new ArrayDeque<>();
        try {
            while (!usable.isEmpty() && !sleep(quiet())) {
                Duration hold = Duration.ZERO;
                for (Nemesis n : next()) {
                    Active a = inject(n);
                    if (a != null) {
                        active.push(a);
                        Duration d = n.duration(random);
                        hold = d.compareTo(hold) > 0 ? d : hold;
                    }
                }
                sleep(hold);
                while (!active.isEmpty()) {
                    heal(active.pop());
                }
            }
        } catch (RuntimeException e) {
            System.err.println("[jepsen] nemesis failed: " + e);
            e.printStackTrace();
        } finally {
            while (!active.isEmpty()) {
                heal(active.pop());
            }
        }
    }

    /** The next nemeses to run: a group, and with {@code combine} sometimes the next group too. */
    private List<Nemesis> next() {
        List<Nemesis> chosen = new ArrayList<>(take());
        if (combine && usable.size() > 1 && random.nextInt(3) == 0) {
            for (Nemesis n : take()) {
                if (!chosen.contains(n)) {
                    chosen.add(n);
                }
            }
        }
        return chosen;
    }

    private List<Nemesis> take() {
        if (round.isEmpty()) {
            List<List<Nemesis>> order = new ArrayList<>(usable);
            for (int i = order.size() - 1; i > 0; i--) {
                int k = random.nextInt(i + 1);
                order.set(k, order.set(i, order.get(k)));
            }
            round.addAll(order);
        }
        return round.poll();
    }

    private Active inject(Nemesis n) {
        long id;
        synchronized (this) {
            id = nextFault++;
        }
        recorder.invoke(process, n.startOp(), null, Map.of("fault", id));
        try {
            Fault f = n.inject(random);
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("fault", id);
            value.putAll(f.description());
            recorder.ok(process, value);
            synchronized (this) {
                injected.merge(n.name(), 1, Integer::sum);
            }
            return new Active(n, f, id);
        } catch (NemesisException | RuntimeException e) {
            recorder.fail(process, String.valueOf(e.getMessage()));
            synchronized (this) {
                failed.merge(n.name(), 1, Integer::sum);
            }
            return null;
        }
    }

    private void heal(Active a) {
        recorder.invoke(process, a.nemesis().stopOp(), null, Map.of("fault", a.id()));
        try {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("fault", a.id());
            value.putAll(a.fault().heal());
            recorder.ok(process, value);
        } catch (RuntimeException e) {
            recorder.fail(process, String.valueOf(e.getMessage()));
        }
    }

    private Duration quiet() {
        long min = quietMin.toMillis();
        long max = Math.max(min, quietMax.toMillis());
        return Duration.ofMillis(min + (max > min ? random.nextLong(max - min + 1) : 0));
    }

    /** Waits {@code d}; true if the schedule was stopped meanwhile. */
    private boolean sleep(Duration d) {
        try {
            return stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
