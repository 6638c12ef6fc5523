package io.warden.jepsen.runner;

import io.warden.jepsen.checker.CheckResult;
import io.warden.jepsen.checker.Validity;
import io.warden.jepsen.nemesis.NemesisSchedule;
import io.warden.jepsen.report.FaultWindow;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run found: the verdict over every checker (and the cell's own health), the counts of the
 * clients' completions, the faults injected, and where the run's files are.
 *
 * @param ok    client completions {@code ok} (the nemesis's ops are not counted)
 * @param info  client completions {@code info}, plus invocations the history ended without completing
 */
public record RunResult(Path dir, Validity validity, long ok, long fail, long info, List<CheckResult> checks,
                        NemesisSchedule.Summary nemesis, List<FaultWindow> faults) {

    public RunResult {
        checks = List.copyOf(checks);
        faults = List.copyOf(faults);
    }

    /** True only if every checker said valid (unknown is not valid). */
    public boolean valid() {
        return validity == Validity.VALID;
    }

    /** The line a run prints last. */
    public String lastLine() {
        return "valid=" + valid() + " ok=" + ok + " fail=" + fail + " info=" + info;
    }

    /** The result of the named checker, if it ran. */
    public CheckResult check(String checker) {
        return checks.stream().filter(c -> c.checker().equals(checker)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no checker " + checker + " in " + checks));
    }
}
