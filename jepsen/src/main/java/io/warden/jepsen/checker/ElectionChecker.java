package io.warden.jepsen.checker;

import io.warden.jepsen.history.Call;
import io.warden.jepsen.history.Functions;
import io.warden.jepsen.history.History;
import io.warden.jepsen.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Checks the election workload: clients {@code campaign} (key: the election; ok value: the
 * leadership's fencing token) and leadership ends with an ok {@code resign}, a {@code lost} op, or
 * a {@code session-expired} op for the leader's session. Resign and lost ops belong to the
 * leadership of the same election and session (or, without a session, the same process) that they
 * follow. A leadership with no recorded end lasts to the end of the history.
 *
 * <p>Leadership is certain from the campaign's completion until the earliest invoke of an op that
 * ends it (a {@code fail}ed resign ends nothing). Anomalies (kinds), per election:
 * <ul>
 *   <li>{@code duplicate-token}: two ok campaigns carry the same token;</li>
 *   <li>{@code token-regression}: an ok campaign invoked after another completed has a lower token;</li>
 *   <li>{@code overlapping-leaders}: two leaderships are certain at a common instant.</li>
 * </ul>
 * Stats: {@code elections}, {@code leaderships}.
 */
public final class ElectionChecker implements Checker {

    @Override
    public CheckResult check(List<Op> history) {
        List<Call> calls = History.calls(history);
        Map<String, List<Call>> campaigns = LockChecker.okByKey(calls, Functions.CAMPAIGN);
        Map<String, List<Call>> enders = new HashMap<>();
        Map<Long, List<Call>> expiries = new HashMap<>();
        for (Call c : calls) {
            if (c.isFail()) {
                continue;
            }
            if (c.f().equals(Functions.RESIGN) || c.f().equals(Functions.LOST)) {
                enders.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
            } else if (c.f().equals(Functions.SESSION_EXPIRED) && c.session() != null) {
                expiries.computeIfAbsent(c.session(), k -> new ArrayList<>()).add(c);
            }
        }
        AnomalyLog log = new AnomalyLog();
        TreeSet<String> elections = new TreeSet<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        elections.addAll(campaigns.keySet());
        long leaderships = 0;
        for (String election : elections) {
            List<Call> wins = campaigns.get(election);
            leaderships += wins.size();
            checkTokens(election, wins, log);
            List<Leadership> terms = new ArrayList<>();
            for (Call win : wins) {
                terms.add(new Leadership(win, endOf(win, enders.getOrDefault(election, List.of()), expiries)));
            }
            checkOverlaps(election, terms, log);
        }
        return log.result("election", history, Map.of("elections", (long) elections.size(), "leaderships", leaderships));
    }

    private static void checkTokens(String election, List<Call> wins, AnomalyLog log) {
        Map<Long, Call> first = new HashMap<>();
        for (Call w : wins) {
            Call earlier = first.putIfAbsent(TokenOrder.resultToken(w), w);
            if (earlier != null) {
                log.add("duplicate-token", election, "election " + election + ": token "
                        + TokenOrder.resultToken(w) + " won by " + LockChecker.who(earlier) + " and by "
                        + LockChecker.who(w), earlier, w);
            }
        }
        for (TokenOrder.Regression r : TokenOrder.regressions(wins, TokenOrder::resultToken)) {
            log.add("token-regression", election, "election " + election + ": " + LockChecker.who(r.later())
                    + " won with token " + TokenOrder.resultToken(r.later()) + " after " + LockChecker.who(r.earlier())
                    + " had won with token " + TokenOrder.resultToken(r.earlier()), r.earlier(), r.later());
        }
    }

    /** The first op that ends {@code win}'s leadership, or null. */
    private static Call endOf(Call win, List<Call> enders, Map<Long, List<Call>> expiries) {
        Call end = null;
        for (Call e : enders) {
            boolean mine = win.session() != null && e.session() != null
                    ? Objects.equals(win.session(), e.session())
                    : e.process() == win.process();
            if (mine && e.start() > win.start() && (end == null || e.start() < end.start())) {
                end = e;
            }
        }
        for (Call x : expiries.getOrDefault(win.session(), List.of())) {
            if (x.start() >= win.start() && (end == null || x.start() < end.start())) {
                end = x;
            }
        }
        return end;
    }

    private static void checkOverlaps(String election, List<Leadership> terms, AnomalyLog log) {
        terms.sort(Comparator.comparingLong(Leadership::from));
        for (int i = 0; i < terms.size(); i++) {
            Leadership a = terms.get(i);
            for (int j = i + 1; j < terms.size() && terms.get(j).from() < a.until(); j++) {
                Leadership b = terms.get(j);
                if (b.from() < b.until()) {
                    log.add("overlapping-leaders", election, "election " + election + ": "
                            + LockChecker.who(a.win()) + " (token " + TokenOrder.resultToken(a.win()) + ") and "
                            + LockChecker.who(b.win()) + " (token " + TokenOrder.resultToken(b.win())
                            + ") were both leader at " + b.from(),
                            Stream.concat(a.calls().stream(), b.calls().stream()).toArray(Call[]::new));
                }
            }
        }
    }

    /** A leadership certain over [from, until): from its campaign's completion to its end's invoke. */
    private record Leadership(Call win, Call end) {
        long from() {
            return win.completion().time();
        }

        long until() {
            return end == null ? Long.MAX_VALUE : end.start();
        }

        /** Its campaign, then its end if recorded. */
        List<Call> calls() {
            return end == null ? List.of(win) : List.of(win, end);
        }
    }
}
