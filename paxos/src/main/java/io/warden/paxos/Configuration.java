package io.warden.paxos;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cell's member set, itself replicated state: the initial configuration is fixed at creation,
 * and later ones are decided in the log ({@link Value.Reconfigure}) and carried in snapshots.
 * Every quorum decision in the core goes through {@link #isQuorum}, never through a fixed count.
 */
public record Configuration(List<Integer> members) {
    public Configuration {
        TreeSet<Integer> sorted = new TreeSet<>(members);
        if (sorted.size() != members.size()) throw new IllegalArgumentException("duplicate member id in " + members);
        if (sorted.isEmpty()) throw new IllegalArgumentException("a configuration needs at least one member");
        for (int id : sorted) if (id <= 0) throw new IllegalArgumentException("member ids must be positive, got " + id);
        members = List.copyOf(sorted);
    }

    public static Configuration of(Integer... ids) {
        return new Configuration(List.of(ids));
    }

    public boolean contains(int id) {
        return members.contains(id);
    }

    public int quorumSize() {
        return members.size() / 2 + 1;
    }

    /** True when {@code voters} (ids, possibly including non-members) hold a majority of members. */
    public boolean isQuorum(Collection<Integer> voters) {
        Set<Integer> distinct = new TreeSet<>(voters);
        distinct.retainAll(members);
        return distinct.size() >= quorumSize();
    }
}
