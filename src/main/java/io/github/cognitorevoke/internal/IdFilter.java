package io.github.cognitorevoke.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A blocked Bloom filter over the denylist's 64-bit id hashes: it answers "certainly not
 * denylisted" for almost every id that never was, from one word of a bit array small enough to stay
 * in the CPU's cache, so that a token the node has not seen recently costs no cache miss in the
 * denylist's hash table (at a hundred thousand entries, those misses were most of the check).
 *
 * <p>It has no false negatives: an id is added here before its entry enters the table, and a
 * rebuild copies every key the table holds. Expired entries leave their bits set until the next
 * rebuild, which only raises the rate of false positives (a table lookup that finds nothing). Two
 * bits of one 64-bit word per id, about 8 to 16 bits of filter per live entry: 2 to 5 % false
 * positives, at most 2 MB at a million entries. Writes are made by one thread at a time (the
 * denylist's write lock); reads take no lock.
 */
final class IdFilter {

    /** The smallest filter: 8 KiB, for 8,192 ids. */
    static final int MIN_CAPACITY = 8192;
    private static final int BITS_PER_ID = 8;

    private final AtomicLongArray words;
    private final int mask;
    private final int capacity;
    private int added;

    /** @param ids how many ids the filter should hold before it needs a rebuild */
    IdFilter(long ids) {
        long wanted = Math.max(MIN_CAPACITY, Math.min(ids, 1L << 30)) * BITS_PER_ID / 64;
        int n = Integer.highestOneBit((int) wanted - 1) << 1;
        this.words = new AtomicLongArray(n);
        this.mask = n - 1;
        this.capacity = n * 64 / BITS_PER_ID;
    }

    /** @return false only if the hash was never added */
    boolean mightContain(long hash) {
        long bits = bits(hash);
        return (words.get(index(hash)) & bits) == bits;
    }

    /**
     * Two hashes at once: both words are loaded before either is tested, so that their cache misses
     * overlap.
     *
     * @return bit 0 set if the first might have been added, bit 1 if the second might
     */
    int mightContainEach(long first, long second) {
        long bitsA = bits(first);
        long bitsB = bits(second);
        long a = words.get(index(first));
        long b = words.get(index(second));
        return ((a & bitsA) == bitsA ? 1 : 0) | ((b & bitsB) == bitsB ? 2 : 0);
    }

    /**
     * The word that holds a hash's bits: read it for several hashes first, then test each with
     * {@link #holds}, so that the reads' cache misses overlap.
     *
     * @param hash the hash
     * @return the word
     */
    long word(long hash) {
        return words.get(index(hash));
    }

    /**
     * @param word the hash's word, from {@link #word}
     * @param hash the hash
     * @return false only if the hash was never added
     */
    static boolean holds(long word, long hash) {
        long bits = bits(hash);
        return (word & bits) == bits;
    }

    /** Adds a hash; the caller holds the write lock. */
    void add(long hash) {
        long bits = bits(hash);
        int i = index(hash);
        // A volatile read and a CAS loop: readers on other threads see the bits before the entry.
        long old = words.get(i);
        while ((old & bits) != bits && !words.compareAndSet(i, old, old | bits)) {
            old = words.get(i);
        }
        added++;
    }

    /** @return true once more ids were added than the filter was sized for */
    boolean full() {
        return added > capacity;
    }

    /** @return the number of ids the filter was sized for */
    int capacity() {
        return capacity;
    }

    private int index(long hash) {
        return (int) (hash >>> 32) & mask;
    }

    /** Two bit positions from the low 12 bits; the word comes from the high half: independent bits of a keyed hash. */
    private static long bits(long hash) {
        return 1L << (hash & 63) | 1L << ((hash >>> 6) & 63);
    }
}
