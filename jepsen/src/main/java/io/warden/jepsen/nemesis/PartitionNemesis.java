package io.warden.jepsen.nemesis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * Network partitions between replicas, as {@link Firewall} rules on their loopback addresses
 * (clients still reach every replica, as clients on the other side of a partition would reach
 * some). Modes, one picked at random per fault:
 * <ul>
 *   <li>{@code isolate-master}: the master (or, if none is known, a random replica) alone;</li>
 *   <li>{@code halves}: a random minority from the majority;</li>
 *   <li>{@code one-way}: one replica (the master, usually) can receive but not send, or send but not
 *       receive;</li>
 *   <li>{@code ring} (5 replicas): each replica reaches only its two neighbours, so every replica
 *       sees a majority but no two see the same one.</li>
 * </ul>
 * Unavailable (reported skipped, never faked) when iptables is missing, not permitted, or its
 * rules have no effect here: see {@link #unavailable()}.
 */
public final class PartitionNemesis implements Nemesis {
    private final Replicas cell;
    private final Firewall firewall;
    private final String iptablesConfigured;
    private final boolean iptablesFound;
    private Optional<String> unavailable;

    /** {@code firewall} null means iptables was not found at {@code iptablesConfigured}. */
    public PartitionNemesis(Replicas cell, Firewall firewall, String iptablesConfigured) {
        this.cell = cell;
        this.firewall = firewall;
        this.iptablesConfigured = iptablesConfigured;
        this.iptablesFound = firewall != null;
    }

    /** A partition nemesis on the system's iptables at {@code iptables} (a path or a name on PATH). */
    public static PartitionNemesis on(Replicas cell, String iptables) {
        Optional<String> found = Firewall.locate(iptables);
        return new PartitionNemesis(cell, found.map(path -> Firewall.system(path, cell.ports())).orElse(null), iptables);
    }

    @Override
    public String name() {
        return "partition";
    }

    @Override
    public String startOp() {
        return "start-partition";
    }

    @Override
    public String stopOp() {
        return "stop-partition";
    }

    @Override
    public synchronized Optional<String> unavailable() {
        if (unavailable == null) {
            if (!iptablesFound) {
                unavailable = Optional.of("iptables not found at " + iptablesConfigured);
            } else if (cell.size() < 2) {
                unavailable = Optional.of("a single replica cannot be partitioned");
            } else {
                unavailable = firewall.probe(cell.host(1), cell.host(2));
            }
        }
        return unavailable;
    }

    @Override
    public Duration duration(RandomGenerator random) {
        long lease = cell.leaseMillis();
        return Duration.ofMillis(lease * 2 + random.nextLong(lease * 4));
    }

    @Override
    public Fault inject(RandomGenerator random) throws NemesisException {
        if (unavailable().isPresent()) {
            throw new NemesisException("partition unavailable: " + unavailable().get());
        }
        List<String> modes = new ArrayList<>(List.of("isolate-master", "halves", "one-way"));
        if (cell.size() >= 5) {
            modes.add("ring");
        }
        String mode = modes.get(random.nextInt(modes.size()));
        List<Firewall.Link> links = links(mode, random);
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("mode", mode);
        what.put("links", links.stream().map(l -> id(l.from()) + "->" + id(l.to())).toList());
        try {
            for (Firewall.Link link : links) {
                firewall.drop(link);
            }
        } catch (IOException e) {
            healAll();
            throw new NemesisException("could not install the partition: " + e.getMessage(), e);
        }
        return Fault.of(what, () -> {
            healAll();
            return Map.of("mode", mode, "healed", true);
        });
    }

    /** The one-way links a mode cuts, between replica addresses. */
    List<Firewall.Link> links(String mode, RandomGenerator random) {
        int n = cell.size();
        OptionalInt m = cell.master();
        int target = m.isPresent() ? m.getAsInt() : 1 + random.nextInt(n);
        List<Firewall.Link> links = new ArrayList<>();
        switch (mode) {
            case "isolate-master" -> {
                for (int j = 1; j <= n; j++) {
                    if (j != target) {
                        cutBoth(target, j, links);
                    }
                }
            }
            case "halves" -> {
                List<Integer> order = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    order.add(i);
                }
                for (int i = n - 1; i > 0; i--) {
                    int k = random.nextInt(i + 1);
                    order.set(k, order.set(i, order.get(k)));
                }
                List<Integer> minority = order.subList(0, n / 2);
                List<Integer> majority = order.subList(n / 2, n);
                for (int a : minority) {
                    for (int b : majority) {
                        cutBoth(a, b, links);
                    }
                }
            }
            case "one-way" -> {
                boolean outbound = random.nextBoolean();
                for (int j = 1; j <= n; j++) {
                    if (j != target) {
                        links.add(outbound ? link(target, j) : link(j, target));
                    }
                }
            }
            case "ring" -> {
                for (int a = 1; a <= n; a++) {
                    for (int b = a + 1; b <= n; b++) {
                        int d = Math.abs(a - b);
                        if (d != 1 && d != n - 1) {
                            cutBoth(a, b, links);
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown partition mode " + mode);
        }
        return links;
    }

    private void cutBoth(int a, int b, List<Firewall.Link> links) {
        links.add(link(a, b));
        links.add(link(b, a));
    }

    private Firewall.Link link(int from, int to) {
        return new Firewall.Link(cell.host(from), cell.host(to));
    }

    private int id(String host) {
        for (int i = 1; i <= cell.size(); i++) {
            if (cell.host(i).equals(host)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void healAll() {
        if (firewall == null) {
            return;
        }
        try {
            firewall.healAll();
        } catch (IOException e) {
            System.err.println("[jepsen] could not remove partition rules: " + e.getMessage());
        }
    }

    /** Removes the firewall chain; call at the end of the run. */
    public void close() {
        if (firewall != null) {
            firewall.close();
        }
    }
}
