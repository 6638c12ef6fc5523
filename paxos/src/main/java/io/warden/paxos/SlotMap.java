package io.warden.paxos;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * An ordered map from slot numbers (>= 0) to non-null values, for the per-slot state the replica
 * touches on every decision: the decided log, the accepted values and their durable mirror. The
 * slots it holds are dense (a window above the last snapshot), so they live in arrays of
 * {@value #CHUNK} consecutive slots: a lookup is an array index into the chunk used last, where a
 * {@code TreeMap<Long, V>} of ten thousand slots chased about fourteen scattered nodes and boxed
 * keys per lookup (such maps took over half of a follower's Java samples under load). Chunks
 * are found in a small ordered map, so a far-off slot (a follower told of a slot far ahead) costs
 * one chunk, not an array spanning the gap. Not thread-safe, not even for lookups alone (a lookup
 * remembers its chunk): each owner keeps it on one thread or under its lock.
 */
public final class SlotMap<V> {
    /** What {@link #forEach} and {@link #forEachFrom} hand over. */
    @FunctionalInterface
    public interface Visitor<V> {
        void visit(long slot, V value);
    }

    private static final int SHIFT = 10;
    static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;

    private final TreeMap<Long, Chunk> chunks = new TreeMap<>();
    private long lastIndex = -1;
    private Chunk last;
    private int size;

    private static final class Chunk {
        final Object[] values = new Object[CHUNK];
        int count;
    }

    public V get(long slot) {
        Chunk c = chunk(slot, false);
        return c == null ? null : value(c, slot);
    }

    public boolean containsKey(long slot) {
        return get(slot) != null;
    }

    /** Sets {@code slot}'s value, replacing any. */
    public void put(long slot, V value) {
        if (value == null) throw new NullPointerException("a slot's value is never null");
        Chunk c = chunk(slot, true);
        int i = (int) (slot & MASK);
        if (c.values[i] == null) {
            c.count++;
            size++;
        }
        c.values[i] = value;
    }

    public void putAll(Map<Long, ? extends V> values) {
        values.forEach(this::put);
    }

    /** Forgets every slot up to and including {@code through}. */
    public void removeThrough(long through) {
        if (through < 0) return;
        long keepIndex = through >>> SHIFT;
        for (Iterator<Map.Entry<Long, Chunk>> it = chunks.headMap(keepIndex, false).entrySet().iterator(); it.hasNext(); ) {
            size -= it.next().getValue().count;
            it.remove();
        }
        Chunk c = chunks.get(keepIndex);
        if (c != null) {
            for (int i = 0; i <= (int) (through & MASK); i++) {
                if (c.values[i] != null) {
                    c.values[i] = null;
                    c.count--;
                    size--;
                }
            }
            if (c.count == 0) chunks.remove(keepIndex);
        }
        lastIndex = -1;
        last = null;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Every slot in ascending order. */
    public void forEach(Visitor<? super V> visitor) {
        forEachFrom(0, visitor);
    }

    /** Every slot from {@code from} on, in ascending order. */
    public void forEachFrom(long from, Visitor<? super V> visitor) {
        long fromIndex = Math.max(0, from) >>> SHIFT;
        for (Map.Entry<Long, Chunk> e : chunks.tailMap(fromIndex, true).entrySet()) {
            long base = e.getKey() << SHIFT;
            Object[] values = e.getValue().values;
            for (int i = 0; i < CHUNK; i++) {
                if (values[i] != null && base + i >= from) visitor.visit(base + i, cast(values[i]));
            }
        }
    }

    /** A copy as a sorted map (for recovery, reports and tests). */
    public TreeMap<Long, V> toTreeMap() {
        TreeMap<Long, V> copy = new TreeMap<>();
        forEach(copy::put);
        return copy;
    }

    /** A negative slot is never held (a peer's message may name one): found nowhere, stored never. */
    private Chunk chunk(long slot, boolean create) {
        if (slot < 0) {
            if (create) throw new IllegalArgumentException("slots are >= 0, got " + slot);
            return null;
        }
        long index = slot >>> SHIFT;
        if (index == lastIndex) return last;
        Chunk c = chunks.get(index);
        if (c == null) {
            if (!create) return null;
            c = new Chunk();
            chunks.put(index, c);
        }
        lastIndex = index;
        last = c;
        return c;
    }

    private V value(Chunk c, long slot) {
        return cast(c.values[(int) (slot & MASK)]);
    }

    @SuppressWarnings("unchecked")
    private static <V> V cast(Object o) {
        return (V) o;
    }
}
