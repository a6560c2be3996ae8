package io.github.cognitorevoke.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The durations of the last {@link #SIZE} calls, for percentiles: fixed memory, a lock-free write,
 * and exact percentiles of that window, computed (copy and sort) only when read.
 */
final class LatencyWindow {

    /** How many recent durations are kept (a power of two). */
    static final int SIZE = 1024;
    private final AtomicLongArray ring = new AtomicLongArray(SIZE);
    private final AtomicLong recorded = new AtomicLong();

    /**
     * Records one duration, overwriting the oldest once the window is full.
     *
     * @param nanos the duration
     */
    void record(long nanos) {
        long i = recorded.getAndIncrement();
        ring.set((int) (i & (SIZE - 1)), Math.max(0, nanos));
    }

    /** @return how many durations were recorded in all */
    long count() {
        return recorded.get();
    }

    /**
     * Returns a percentile of the window (nearest rank).
     *
     * @param quantile between 0 (exclusive) and 1
     * @return the duration in milliseconds, 0 if nothing was recorded
     */
    double percentileMillis(double quantile) {
        int n = (int) Math.min(recorded.get(), SIZE);
        if (n == 0) {
            return 0;
        }
        long[] copy = new long[n];
        for (int i = 0; i < n; i++) {
            copy[i] = ring.get(i);
        }
        Arrays.sort(copy);
        int rank = (int) Math.ceil(quantile * n);
        return copy[Math.min(n, Math.max(1, rank)) - 1] / 1_000_000.0;
    }
}
