package io.warden.server.cell;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.Event;
import io.warden.api.LockMode;
import io.warden.api.Sequencer;
import io.warden.paxos.Command;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lock service's rules, on the replicated state alone (Chubby §2; the holes etcd, ZooKeeper and Consul left). */
class CellStateTest {
    private static final LockMode X = LockMode.EXCLUSIVE;
    private static final LockMode S = LockMode.SHARED;
    private CellState cell;
    private long slot;

    @BeforeEach
    void fresh() {
        cell = new CellState(Limits.defaults());
    }

    private CellResult at(long cellMillis, CellCommand c) {
        byte[] payload = CellState.encode(new CellCommand.Envelope(cellMillis, 1_700_000_000_000L + cellMillis, c));
        return CellState.decodeResult(cell.apply(++slot, new Command(0, slot, payload)));
    }

    private long session(long t) {
        return ((CellResult.SessionCreated) at(t, new CellCommand.CreateSession(10_000, "test", null))).session();
    }

    private CellResult acquire(long t, long session, String lock, LockMode mode, long wait, long delay) {
        return at(t, new CellCommand.Acquire(session, lock, mode, wait, delay));
    }

    private long token(CellResult r) {
        assertThat(r).isInstanceOf(CellResult.Granted.class);
        return ((CellResult.Granted) r).sequencer().token();
    }

    private List<Long> holders(String lock) {
        LockTable.LockRecord r = cell.lock(lock);
        return r == null ? List.of() : r.holders().stream().map(LockTable.Holder::session).toList();
    }

    private List<String> eventTypes(long from) {
        return cell.eventsFrom(from, 1000).stream().map(Event::type).toList();
    }

    @Test
    void sessionTimeoutsAreClampedToTheCellsBounds() {
        Limits l = Limits.defaults();
        assertThat(((CellResult.SessionCreated) at(0, new CellCommand.CreateSession(1, null, null))).timeoutMillis()).isEqualTo(l.minSessionTimeoutMillis());
        assertThat(((CellResult.SessionCreated) at(0, new CellCommand.CreateSession(0, null, null))).timeoutMillis()).isEqualTo(l.defaultSessionTimeoutMillis());
        assertThat(((CellResult.SessionCreated) at(0, new CellCommand.CreateSession(Long.MAX_VALUE, null, null))).timeoutMillis()).isEqualTo(l.maxSessionTimeoutMillis());
    }

    @Test
    void anExclusiveLockHasOneHolderAndTryOnceFailsFast() {
        long a = session(0), b = session(0);
        token(acquire(1, a, "/orders/primary", X, 0, -1));
        CellResult r = acquire(2, b, "/orders/primary", X, 0, -1);
        assertThat(r).isInstanceOf(CellResult.NotAcquired.class);
        assertThat(((CellResult.NotAcquired) r).reason()).contains("held by session " + a);
        assertThat(holders("/orders/primary")).containsExactly(a);
    }

    /** FIFO, and a release grants the next waiter only (no thundering herd: Consul #7523). */
    @Test
    void waitersAreGrantedInOrderOneReleaseAtATime() {
        long a = session(0), b = session(0), c = session(0), d = session(0);
        long t1 = token(acquire(1, a, "/l", X, 0, -1));
        assertThat(acquire(2, b, "/l", X, 60_000, -1)).isInstanceOf(CellResult.Queued.class);
        assertThat(acquire(3, c, "/l", X, 60_000, -1)).isInstanceOf(CellResult.Queued.class);
        assertThat(acquire(4, d, "/l", X, 60_000, -1)).isInstanceOf(CellResult.Queued.class);
        long before = cell.lastEventIndex();
        at(5, new CellCommand.Release(a, "/l"));
        assertThat(holders("/l")).containsExactly(b);
        assertThat(cell.lock("/l").waiters()).extracting(LockTable.Waiter::session).containsExactly(c, d);
        List<Event> grants = cell.eventsFrom(before + 1, 100).stream().filter(e -> e.type().equals("lock.acquired")).toList();
        assertThat(grants).hasSize(1);
        assertThat(grants.get(0).token()).isGreaterThan(t1);
        at(6, new CellCommand.Release(b, "/l"));
        assertThat(holders("/l")).containsExactly(c);
    }

    @Test
    void sharedHoldersCoexistAndAnExclusiveWaiterBlocksLaterReaders() {
        long r1 = session(0), r2 = session(0), w = session(0), r3 = session(0);
        token(acquire(1, r1, "/db", S, 0, -1));
        token(acquire(1, r2, "/db", S, 0, -1));
        assertThat(holders("/db")).containsExactly(r1, r2);
        assertThat(acquire(2, w, "/db", X, 60_000, -1)).isInstanceOf(CellResult.Queued.class);
        // A reader arriving after a queued writer waits behind it: writers do not starve.
        assertThat(acquire(3, r3, "/db", S, 0, -1)).isInstanceOf(CellResult.NotAcquired.class);
        assertThat(acquire(3, r3, "/db", S, 60_000, -1)).isInstanceOf(CellResult.Queued.class);
        at(4, new CellCommand.Release(r1, "/db"));
        assertThat(holders("/db")).containsExactly(r2);
        at(5, new CellCommand.Release(r2, "/db"));
        assertThat(holders("/db")).containsExactly(w);
        at(6, new CellCommand.Release(w, "/db"));
        assertThat(holders("/db")).containsExactly(r3);
        assertThat(cell.lock("/db").holders().get(0).mode()).isEqualTo(S);
    }

    @Test
    void consecutiveSharedWaitersAreGrantedTogether() {
        long w = session(0), r1 = session(0), r2 = session(0), w2 = session(0);
        token(acquire(1, w, "/db", X, 0, -1));
        acquire(2, r1, "/db", S, 60_000, -1);
        acquire(2, r2, "/db", S, 60_000, -1);
        acquire(2, w2, "/db", X, 60_000, -1);
        at(3, new CellCommand.Release(w, "/db"));
        assertThat(holders("/db")).containsExactly(r1, r2);
        assertThat(cell.lock("/db").waiters()).extracting(LockTable.Waiter::session).containsExactly(w2);
    }

    /** Fencing tokens strictly increase across every grant of a lock, forever (Kleppmann; Chubby's sequencer). */
    @Test
    void tokensStrictlyIncreaseAcrossGrantsAndSurviveASnapshot() {
        long a = session(0), b = session(0);
        long last = 0;
        for (int i = 0; i < 5; i++) {
            long t = token(acquire(10 * i, i % 2 == 0 ? a : b, "/t", X, 0, -1));
            assertThat(t).isGreaterThan(last);
            last = t;
            at(10 * i + 1, new CellCommand.Release(i % 2 == 0 ? a : b, "/t"));
        }
        CellState restored = new CellState(Limits.defaults());
        restored.restore(cell.snapshot().get());
        cell = restored;
        assertThat(token(acquire(100, a, "/t", X, 0, -1))).isGreaterThan(last);
    }

    /** etcd#11456: a session that expired while waiting is never granted the lock. */
    @Test
    void aWaiterWhoseSessionExpiredIsNeverGranted() {
        long a = session(0), b = session(0), c = session(0);
        token(acquire(1, a, "/l", X, 0, 0));
        acquire(2, b, "/l", X, 60_000, -1);
        acquire(3, c, "/l", X, 60_000, -1);
        at(4, new CellCommand.ExpireSessions(List.of(b)));
        at(5, new CellCommand.Release(a, "/l"));
        assertThat(holders("/l")).containsExactly(c);
        assertThat(cell.session(b)).isEmpty();
    }

    @Test
    void anExpiredHoldersLockStaysUnavailableForItsLockDelay() {
        long a = session(0), b = session(0);
        token(acquire(0, a, "/l", X, 0, 5_000));
        acquire(10, b, "/l", X, 60_000, -1);
        long before = cell.lastEventIndex();
        at(1_000, new CellCommand.ExpireSessions(List.of(a)));
        assertThat(eventTypes(before + 1)).contains("lock.expired", "session.expired");
        assertThat(holders("/l")).isEmpty();
        assertThat(cell.nextDeadline()).isEqualTo(6_000);
        at(5_999, new CellCommand.Tick());
        assertThat(holders("/l")).isEmpty();
        long c = session(5_999);
        assertThat(acquire(5_999, c, "/l", X, 0, -1)).isInstanceOf(CellResult.NotAcquired.class)
            .extracting(r -> ((CellResult.NotAcquired) r).reason()).asString().contains("lock-delay");
        at(6_000, new CellCommand.Tick());
        assertThat(holders("/l")).containsExactly(b);
    }

    @Test
    void aCleanReleaseOrCloseAppliesNoLockDelay() {
        long a = session(0), b = session(0), c = session(0);
        token(acquire(0, a, "/l", X, 0, 30_000));
        at(1, new CellCommand.Release(a, "/l"));
        token(acquire(2, b, "/l", X, 0, 30_000));
        acquire(3, c, "/l", X, 60_000, -1);
        at(4, new CellCommand.CloseSession(b, null));
        assertThat(holders("/l")).containsExactly(c);
    }

    @Test
    void breakingALockFencesItsHolderAndAppliesLockDelay() {
        long a = session(0), b = session(0);
        Sequencer s = ((CellResult.Granted) acquire(0, a, "/l", X, 0, 2_000)).sequencer();
        assertThat(cell.isCurrent(s)).isTrue();
        acquire(1, b, "/l", X, 60_000, -1);
        at(10, new CellCommand.BreakLock("/l", "ops"));
        assertThat(cell.isCurrent(s)).isFalse();
        assertThat(holders("/l")).isEmpty();
        assertThat(at(11, new CellCommand.Release(a, "/l"))).isInstanceOf(CellResult.Refused.class);
        at(2_010, new CellCommand.Tick());
        assertThat(holders("/l")).containsExactly(b);
        assertThat(token((CellResult) new CellResult.Granted(new Sequencer("/l", X, b, cell.lock("/l").holders().get(0).token()))))
            .isGreaterThan(s.token());
    }

    @Test
    void aWaitThatRunsOutIsAnsweredByATick() {
        long a = session(0), b = session(0);
        token(acquire(0, a, "/l", X, 0, -1));
        acquire(0, b, "/l", X, 1_000, -1);
        assertThat(cell.nextDeadline()).isEqualTo(1_000);
        long before = cell.lastEventIndex();
        at(1_000, new CellCommand.Tick());
        assertThat(eventTypes(before + 1)).containsExactly("lock.wait-timeout");
        assertThat(cell.lock("/l").waiters()).isEmpty();
        at(1_001, new CellCommand.Release(a, "/l"));
        assertThat(cell.lock("/l")).isNull();
    }

    /** A client that gives up waiting releases: its wait is withdrawn, and whoever it held back is granted. */
    @Test
    void aReleaseByAWaiterWithdrawsItsWaitAndGrantsTheCompatibleWaitersBehindIt() {
        long a = session(0), b = session(0), c = session(0);
        token(acquire(0, a, "/l", S, 0, -1));
        acquire(0, b, "/l", X, 60_000, -1); // queued behind the shared holder
        acquire(0, c, "/l", S, 60_000, -1); // compatible with a, but FIFO: behind b
        assertThat(holders("/l")).containsExactly(a);

        long before = cell.lastEventIndex();
        assertThat(at(10, new CellCommand.Release(b, "/l"))).isInstanceOf(CellResult.Done.class);
        assertThat(eventTypes(before + 1)).containsExactly("lock.wait-cancelled", "lock.acquired");
        assertThat(holders("/l")).containsExactly(a, c);
        assertThat(cell.lock("/l").waiters()).isEmpty();
        assertThat(acquire(11, b, "/l", X, 0, -1)).as("not 'already-waiting'").isInstanceOf(CellResult.NotAcquired.class);
        assertThat(at(12, new CellCommand.Release(b, "/l"))).as("neither holds nor waits").isInstanceOf(CellResult.Refused.class);
    }

    @Test
    void onlyTheExclusiveHolderSetsTheValueAndItGoesWithTheHolder() {
        long a = session(0), b = session(0);
        token(acquire(0, a, "/election/leader", X, 0, -1));
        assertThat(at(1, new CellCommand.SetValue(b, "/election/leader", "b"))).isInstanceOf(CellResult.Refused.class);
        at(1, new CellCommand.SetValue(a, "/election/leader", "10.0.0.1:8080"));
        assertThat(cell.lock("/election/leader").value()).isEqualTo("10.0.0.1:8080");
        at(2, new CellCommand.Release(a, "/election/leader"));
        assertThat(cell.lock("/election/leader")).isNull();
    }

    @Test
    void membersAreTiedToTheirSession() {
        long a = session(0), b = session(0);
        at(1, new CellCommand.Join(a, "/svc/api", "host-a", "10.0.0.1"));
        assertThat(at(1, new CellCommand.Join(b, "/svc/api", "host-a", "x"))).isInstanceOf(CellResult.Refused.class)
            .extracting(r -> ((CellResult.Refused) r).type()).isEqualTo("member-taken");
        at(2, new CellCommand.Join(b, "/svc/api", "host-b", "10.0.0.2"));
        at(3, new CellCommand.Join(a, "/svc/api", "host-a", "10.0.0.9"));
        assertThat(cell.members("/svc/api")).extracting(GroupTable.Member::payload).containsExactly("10.0.0.9", "10.0.0.2");
        long before = cell.lastEventIndex();
        at(4, new CellCommand.ExpireSessions(List.of(a)));
        assertThat(cell.members("/svc/api")).extracting(GroupTable.Member::name).containsExactly("host-b");
        assertThat(eventTypes(before + 1)).containsExactly("member.left", "session.expired");
        at(5, new CellCommand.Leave(b, "/svc/api", "host-b"));
        assertThat(cell.members("/svc/api")).isEmpty();
        assertThat(at(6, new CellCommand.Leave(b, "/svc/api", "host-b"))).isInstanceOf(CellResult.Refused.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "orders/primary   | a name starts with '/'",
        "/orders//primary | no empty segments",
        "/orders/../x     | no '.' or '..'",
        "/orders/pri mary | may hold only",
        "/                | '/' alone",
    })
    void invalidLockNamesAreRefusedAndChangeNothing(String name, String problem) {
        long a = session(0);
        long before = cell.lastEventIndex();
        CellResult r = acquire(1, a, name, X, 0, -1);
        assertThat(r).isInstanceOf(CellResult.Refused.class);
        assertThat(((CellResult.Refused) r).detail()).contains(problem.trim());
        assertThat(cell.lastEventIndex()).isEqualTo(before);
    }

    @Test
    void unknownSessionsQuotasAndBoundsAreRefused() {
        assertThat(acquire(0, 999, "/l", X, 0, -1)).extracting(r -> ((CellResult.Refused) r).type()).isEqualTo("no-such-session");
        long a = session(0);
        assertThat(acquire(0, a, "/l", X, 0, 61_000)).extracting(r -> ((CellResult.Refused) r).type()).isEqualTo("lock-delay-too-long");
        assertThat(at(0, new CellCommand.Release(a, "/nope"))).extracting(r -> ((CellResult.Refused) r).type()).isEqualTo("not-holder");
        cell = new CellState(new Limits(1_000, 12_000, 120_000, 10_000, 60_000, 300_000, 2, 1, 1, 1, 8, 8, 8, 100, 100));
        long s1 = session(0);
        session(0);
        assertThat(at(0, new CellCommand.CreateSession(0, null, null))).extracting(r -> ((CellResult.Refused) r).type()).isEqualTo("quota-sessions");
        token(acquire(0, s1, "/a", X, 0, -1));
        assertThat(acquire(0, s1, "/b", X, 0, -1)).extracting(r -> ((CellResult.Refused) r).type()).isEqualTo("quota-locks");
        assertThat(at(0, new CellCommand.SetValue(s1, "/a", "123456789"))).extracting(r -> ((CellResult.Refused) r).type()).isEqualTo("value-too-large");
    }

    @Test
    void anUndecodableCommandIsRefusedNotThrown() {
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
        CellResult r = CellState.decodeResult(cell.apply(1, new Command(0, 1, garbage)));
        assertThat(r).isInstanceOf(CellResult.Refused.class);
        assertThat(cell.lastEventIndex()).isZero();
    }

    @Test
    void eventsAreNumberedAndOldOnesAreCompactedExplicitly() {
        cell = new CellState(new Limits(1_000, 12_000, 120_000, 10_000, 60_000, 300_000, 100, 10, 10, 10, 100, 100, 100, 5, 5));
        long a = session(0);
        for (int i = 0; i < 10; i++) at(i, new CellCommand.Put("k" + i, "v"));
        assertThat(cell.lastEventIndex()).isEqualTo(11);
        assertThat(cell.firstRetainedEvent()).isEqualTo(7);
        assertThat(cell.eventsFrom(7, 100)).extracting(Event::index).containsExactly(7L, 8L, 9L, 10L, 11L);
        assertThat(cell.session(a)).isPresent();
    }

    @Test
    void cellTimeNeverRunsBackwards() {
        long a = session(10_000);
        token(acquire(10_000, a, "/l", X, 0, 1_000));
        at(10_500, new CellCommand.ExpireSessions(List.of(a)));
        at(100, new CellCommand.Tick()); // a master whose clock is behind: time stands still
        assertThat(cell.cellMillis()).isEqualTo(10_500);
        assertThat(cell.nextDeadline()).isEqualTo(11_500);
    }

    /** The state is a deterministic function of the commands: replicas agree, snapshots round-trip exactly. */
    @Test
    void sameCommandsSameStateAndSnapshotsRoundTrip() {
        CellState other = new CellState(Limits.defaults());
        CellState mine = cell;
        for (CellState target : List.of(mine, other)) {
            cell = target;
            slot = 0;
            long a = session(0), b = session(0);
            token(acquire(1, a, "/x", X, 0, 100));
            acquire(2, b, "/x", X, 5_000, -1);
            at(3, new CellCommand.Join(b, "/g", "m", "p"));
            at(4, new CellCommand.ExpireSessions(List.of(a)));
            at(200, new CellCommand.Tick());
        }
        assertThat(other.snapshot().get()).isEqualTo(mine.snapshot().get());
        CellState restored = new CellState(Limits.defaults());
        restored.restore(mine.snapshot().get());
        assertThat(restored.snapshot().get()).isEqualTo(mine.snapshot().get());
    }

    /** A snapshot is captured on the loop and encoded later elsewhere: what it encodes is the state at the capture. */
    @Test
    void aSnapshotEncodesTheStateItWasCapturedInNotALaterOne() {
        long a = session(0);
        token(acquire(1, a, "/x", X, 0, 100));
        at(2, new CellCommand.Put("/k", "v1"));
        java.util.function.Supplier<byte[]> captured = cell.snapshot();
        byte[] then = cell.snapshot().get();

        long b = session(3);
        acquire(4, b, "/x", X, 5_000, -1);
        at(5, new CellCommand.Put("/k", "v2"));
        at(6, new CellCommand.Join(b, "/g", "m", "p"));
        at(7, new CellCommand.ExpireSessions(List.of(a)));

        assertThat(captured.get()).isEqualTo(then);
        assertThat(cell.snapshot().get()).isNotEqualTo(then);
    }
}
