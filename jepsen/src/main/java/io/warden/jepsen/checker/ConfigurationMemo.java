package io.warden.jepsen.checker;

/**
 * Lowe's memo of explored configurations (set of linearized ops, register state), stored as
 * 128-bit fingerprints in an open-addressing table: 16 bytes a configuration, no allocation per
 * lookup. Two configurations collide with probability about 2^-128 per pair (for ten million
 * configurations, under 10^-24), so a search that wrongly skips a configuration is not a practical
 * concern. Single-threaded.
 */
final class ConfigurationMemo {
    private long[] slots = new long[2 * 1024];
    private int size;

    /** Adds the configuration; false if it was already there. */
    boolean add(long setHash1, long setHash2, int state) {
        long a = (setHash1 ^ mix(state)) | 1L; // never 0: 0 marks an empty slot
        long b = setHash2 ^ mix(~state);
        if (2 * (size + 1) > slots.length / 2) {
            grow();
        }
        return insert(slots, a, b);
    }

    int size() {
        return size;
    }

    private boolean insert(long[] table, long a, long b) {
        int mask = table.length / 2 - 1;
        for (int i = (int) (a ^ (a >>> 32)) & mask; ; i = (i + 1) & mask) {
            if (table[2 * i] == 0) {
                table[2 * i] = a;
                table[2 * i + 1] = b;
                size++;
                return true;
            }
            if (table[2 * i] == a && table[2 * i + 1] == b) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0) {
                insert(slots, old[i], old[i + 1]);
            }
        }
    }

    /** SplitMix64's finalizer: spreads a small state id over 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
