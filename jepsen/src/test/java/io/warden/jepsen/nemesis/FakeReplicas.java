package io.warden.jepsen.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** A cell of pretend replicas for nemesis tests: records every action, keeps their states. */
final class FakeReplicas implements Replicas {
    final List<String> actions = new ArrayList<>();
    final boolean[] running;
    final boolean[] paused;
    final double[] rates;
    final long[] offsets;
    int master = 1;

    FakeReplicas(int n) {
        running = new boolean[n + 1];
        paused = new boolean[n + 1];
        rates = new double[n + 1];
        offsets = new long[n + 1];
        for (int i = 1; i <= n; i++) {
            running[i] = true;
            rates[i] = 1.0;
        }
    }

    @Override
    public int size() {
        return running.length - 1;
    }

    @Override
    public String host(int i) {
        return "127.0.0." + (10 + i);
    }

    @Override
    public List<Integer> ports() {
        return List.of(7001, 7101);
    }

    @Override
    public OptionalInt master() {
        return master > 0 && running[master] && !paused[master] ? OptionalInt.of(master) : OptionalInt.empty();
    }

    @Override
    public boolean isRunning(int i) {
        return running[i];
    }

    @Override
    public boolean isPaused(int i) {
        return paused[i];
    }

    @Override
    public void kill(int i) {
        if (!running[i]) {
            throw new IllegalStateException("replica " + i + " is not running");
        }
        running[i] = false;
        paused[i] = false;
        actions.add("kill " + i);
    }

    @Override
    public void restart(int i) {
        running[i] = true;
        actions.add("restart " + i);
    }

    @Override
    public void pause(int i) {
        paused[i] = true;
        actions.add("pause " + i);
    }

    @Override
    public void resume(int i) {
        paused[i] = false;
        actions.add("resume " + i);
    }

    @Override
    public void setClock(int i, double rate, long offsetMillis) {
        rates[i] = rate;
        offsets[i] = offsetMillis;
        actions.add("clock " + i + " " + rate + " " + offsetMillis);
    }

    @Override
    public long leaseMillis() {
        return 1000;
    }

    @Override
    public double driftBound() {
        return 0.01;
    }
}
