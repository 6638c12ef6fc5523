package io.warden.cli.bench;

import java.util.function.Consumer;

/** Runs one workload by name; a workload that fails yields an error row and the next one still runs. */
public final class Workloads {
    private final BenchTarget target;
    private final Settings settings;
    private final BenchCell cell;
    private final Consumer<ResultRow> emit;

    public Workloads(BenchTarget target, Settings settings, BenchCell cell, Consumer<ResultRow> emit) {
        this.target = target;
        this.settings = settings;
        this.cell = cell;
        this.emit = emit;
    }

    public void run(String workload) throws InterruptedException {
        try {
            switch (workload) {
                case "w1" -> {
                    for (int c : settings.w1Clients()) emit.accept(new LockCycles(target, settings).run("w1", c, false));
                }
                case "w2" -> {
                    for (int c : settings.w2Clients()) emit.accept(new LockCycles(target, settings).run("w2", c, true));
                }
                case "w3" -> new SessionHold(target, settings, cell).run(emit);
                case "w4" -> new Failover(target, settings, cell).run(emit);
                default -> throw new IllegalArgumentException("unknown workload " + workload);
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            emit.accept(new ResultRow().put("workload", workload).put("param", "error").put("error", e.toString()));
        }
    }
}
