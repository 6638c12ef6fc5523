package io.warden.server;

import io.warden.leases.MonotonicClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TEST ONLY: a monotonic clock whose rate and forward offset a fault injector sets by writing
 * {@code "<rate> <offsetMillis>"} (e.g. {@code "1.05 0"}, {@code "1 2000"}) to a file, re-read every
 * 100 ms. Enabled only by the {@code --test-only-clock-control FILE} start flag, which the Jepsen
 * harness uses to skew clocks; a replica started normally never has it. Readings never go
 * backwards: a lower rate slows the clock, a smaller offset only stops it advancing until it catches up.
 */
final class ControlledClock implements MonotonicClock, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlledClock.class);

    private final Path control;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "warden-test-clock");
        t.setDaemon(true);
        return t;
    });
    private double rate = 1.0;
    private long offsetMillis;
    private long baseReal = System.nanoTime();
    private double baseReading = System.nanoTime() / 1e6;
    private long lastReading = Long.MIN_VALUE;

    ControlledClock(Path control) {
        this.control = control;
        log.warn("TEST-ONLY CLOCK CONTROL IS ON ({}): this replica's clock can be skewed on purpose; never use this in production", control);
        poller.scheduleWithFixedDelay(this::reload, 0, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized long nowMillis() {
        double reading = baseReading + rate * ((System.nanoTime() - baseReal) / 1e6) + offsetMillis;
        long r = (long) Math.floor(reading);
        if (r < lastReading) r = lastReading;
        lastReading = r;
        return r;
    }

    private void reload() {
        try {
            if (!Files.exists(control)) return;
            String[] parts = Files.readString(control).trim().split("\\s+");
            double newRate = Double.parseDouble(parts[0]);
            long newOffset = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
            if (!(newRate > 0 && newRate < 10)) return;
            synchronized (this) {
                if (newRate == rate && newOffset == offsetMillis) return;
                long now = System.nanoTime();
                baseReading = baseReading + rate * ((now - baseReal) / 1e6);
                baseReal = now;
                rate = newRate;
                offsetMillis = newOffset;
            }
            log.warn("test clock control: rate {} offset {} ms", newRate, newOffset);
        } catch (IOException | RuntimeException e) {
            log.warn("test clock control: cannot read {}: {}", control, e.toString());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
