package io.warden.server.config;

import io.warden.leases.DriftBound;
import io.warden.leases.LeaseTerms;
import io.warden.paxos.Configuration;
import io.warden.paxos.PaxosOptions;
import io.warden.server.cell.Limits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * One replica's configuration: the cell it belongs to (every member's file must list the same
 * members and timings; {@link #fingerprint()} lets replicas check that), which member it is, where
 * its data lives, the timings of the master lease and elections, the cell's {@link Limits}, this
 * replica's {@link LoadLimits} (not in the fingerprint: members may differ), its transport security:
 * {@code tls} (null: plain HTTP and TCP, allowed on loopback addresses only unless {@code insecure},
 * see {@link ListenRule}), and who may call it ({@link AuthConfig}: not part of the fingerprint, so
 * tokens can be rotated one replica at a time; keep it the same on every member). Validated on
 * construction; a mistake is a {@link ConfigException} naming the field.
 */
public record CellConfig(
    String cell,
    List<Member> members,
    int self,
    Path dataDir,
    Timings timings,
    Limits limits,
    LoadLimits loadLimits,
    TlsConfig tls,
    boolean insecure,
    AuthConfig auth) {

    /** A configuration with the default {@link Limits} and {@link LoadLimits}, no TLS, authentication off. */
    public CellConfig(String cell, List<Member> members, int self, Path dataDir, Timings timings) {
        this(cell, members, self, dataDir, timings, Limits.defaults(), LoadLimits.defaults());
    }

    /** A configuration with the default {@link LoadLimits}, no TLS, authentication off. */
    public CellConfig(String cell, List<Member> members, int self, Path dataDir, Timings timings, Limits limits) {
        this(cell, members, self, dataDir, timings, limits, LoadLimits.defaults());
    }

    /** A configuration without TLS (for loopback addresses), authentication off. */
    public CellConfig(String cell, List<Member> members, int self, Path dataDir, Timings timings, Limits limits,
                      LoadLimits loadLimits) {
        this(cell, members, self, dataDir, timings, limits, loadLimits, null, false, AuthConfig.off());
    }

    /**
     * Lease and election timings (see docs/operations.md for what each trades).
     *
     * @param leaseMillis           the master lease D
     * @param renewMillis           how often the master renews it
     * @param electionJitterMillis  random back-off added to election timeouts
     * @param driftBound            ε, the assumed bound on clock-rate drift
     * @param tickMillis            how often the replica loop ticks the core
     * @param snapshotEverySlots    applied slots between snapshots
     */
    public record Timings(long leaseMillis, long renewMillis, long electionJitterMillis, double driftBound,
                          long tickMillis, long snapshotEverySlots) {
        /**
         * A 1 s master lease renewed every 200 ms (five renewals a lease may lose one to four of):
         * fail-over in about 1.1 s on a quiet cell. Raise it where a master may stall longer than
         * that (GC pauses, overcommitted VMs): each stall past the lease costs a fail-over.
         */
        public static Timings defaults() {
            return new Timings(1_000, 200, 150, 0.01, 5, 10_000);
        }

        public Timings {
            if (leaseMillis < 100) throw new ConfigException("leaseMillis", "must be at least 100, got " + leaseMillis);
            if (renewMillis < 10 || renewMillis * 3 > leaseMillis) {
                throw new ConfigException("renewMillis", "must be at least 10 and at most a third of leaseMillis, got " + renewMillis);
            }
            if (electionJitterMillis < 1) throw new ConfigException("electionJitterMillis", "must be positive");
            if (!(driftBound >= 0 && driftBound < 0.5)) throw new ConfigException("driftBound", "must be in [0, 0.5), got " + driftBound);
            if (tickMillis < 1 || tickMillis > renewMillis) throw new ConfigException("tickMillis", "must be in [1, renewMillis]");
            if (snapshotEverySlots < 1) throw new ConfigException("snapshotEverySlots", "must be positive");
        }
    }

    public CellConfig {
        if (cell == null || !cell.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new ConfigException("cell", "must be 1-63 letters, digits, '.', '_' or '-', got " + cell);
        }
        if (members == null || members.isEmpty()) throw new ConfigException("members", "at least one member is required");
        Set<Integer> ids = new HashSet<>();
        Set<String> endpoints = new HashSet<>();
        for (Member m : members) {
            if (!ids.add(m.id())) throw new ConfigException("members", "duplicate id " + m.id());
            if (m.clientPort() != 0 && !endpoints.add(m.host() + ":" + m.clientPort())) {
                throw new ConfigException("members[" + m.id() + "].clientPort", "address " + m.host() + ":" + m.clientPort() + " is used twice");
            }
            if (!endpoints.add(m.host() + ":" + m.peerPort())) {
                throw new ConfigException("members[" + m.id() + "].peerPort", "address " + m.host() + ":" + m.peerPort() + " is used twice");
            }
        }
        // The whole cell speaks TLS or none of it does: members' URLs (master hints) say which.
        members = tls == null ? List.copyOf(members) : members.stream().map(Member::withTls).toList();
        if (!ids.contains(self)) throw new ConfigException("self", "replica " + self + " is not one of the members " + ids);
        if (dataDir == null) throw new ConfigException("dataDir", "is required");
        if (timings == null) timings = Timings.defaults();
        if (limits == null) limits = Limits.defaults();
        if (loadLimits == null) loadLimits = LoadLimits.defaults();
        if (auth == null) auth = AuthConfig.off();
    }

    public Member selfMember() {
        return member(self);
    }

    public Member member(int id) {
        for (Member m : members) if (m.id() == id) return m;
        return null;
    }

    public Configuration configuration() {
        return new Configuration(members.stream().map(Member::id).toList());
    }

    public PaxosOptions paxosOptions() {
        LeaseTerms lease = new LeaseTerms(timings.leaseMillis(), new DriftBound(timings.driftBound()));
        return PaxosOptions.defaults().withMasterLease(lease, timings.renewMillis())
            .withSnapshotEverySlots(timings.snapshotEverySlots())
            .withElectionJitter(timings.electionJitterMillis());
    }

    /**
     * A digest of what every member must agree on: the cell's name, its members and its lease
     * terms. Replicas exchange it when they connect and refuse a peer whose digest differs.
     */
    public String fingerprint() {
        StringBuilder b = new StringBuilder(cell);
        members.stream().sorted((x, y) -> Integer.compare(x.id(), y.id()))
            .forEach(m -> b.append('|').append(m.id()).append('@').append(m.host()).append(':').append(m.peerPort()));
        b.append("|lease=").append(timings.leaseMillis()).append("|eps=").append(timings.driftBound());
        b.append("|limits=").append(limits); // they shape replicated decisions: every member must agree
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
