package io.warden.cli.bench;

/** Sleeps that keep the interrupt flag instead of throwing: workload loops check their own bounds. */
final class Pause {
    private Pause() {}

    static void millis(long ms) {
        if (ms <= 0) return;
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void untilNanos(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
            millis(Math.max(1, left / 1_000_000));
        }
    }
}
