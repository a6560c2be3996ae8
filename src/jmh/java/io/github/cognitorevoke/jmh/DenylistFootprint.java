package io.github.cognitorevoke.jmh;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.openjdk.jol.info.GraphLayout;

/**
 * Retained heap of the denylist at a given number of ids, measured two ways:
 * <ol>
 * <li>JOL {@code GraphLayout.parseInstance(denylist).totalSize()}: every object reachable from the
 * denylist, minus the same for an empty one;</li>
 * <li>used heap after repeated {@code System.gc()} with the filled denylist reachable, minus the
 * same after it is dropped (run with a fixed {@code -Xmx}, e.g. {@code -Xmx1g}).</li>
 * </ol>
 * For comparison, also the previous layout: a {@code Cache<String, Instant>} keyed by the id.
 *
 * <p>Usage: {@code DenylistFootprint [entries]} (default 1,000,000). Exits with status 1 if the
 * denylist retains more than 110,000,000 bytes at 1 M entries.
 */
public final class DenylistFootprint {

    private static final long LIMIT_AT_1M = 110_000_000L;

    private DenylistFootprint() {
    }

    /**
     * Prints the figures.
     *
     * @param args optional: the number of entries
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Clock clock = Clock.systemUTC();
        Instant until = clock.instant().plus(Duration.ofHours(2));

        long empty = GraphLayout.parseInstance(new CaffeineDenylist(clock)).totalSize();
        long before = usedAfterGc();
        CaffeineDenylist denylist = new CaffeineDenylist(clock);
        Random random = new Random(1);
        for (int i = 0; i < n; i++) {
            denylist.add(DenylistLookupBenchmark.uuid(random), until);
        }
        long jol = GraphLayout.parseInstance(denylist).totalSize() - empty;
        long heap = usedAfterGc() - before;
        if (denylist.size() != n) {
            throw new IllegalStateException("size " + denylist.size());
        }
        denylist = null;

        Cache<String, Instant> old = Caffeine.newBuilder()
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(Expiry.writing((String id, Instant end) -> Duration.between(clock.instant(), end)))
                .executor(Runnable::run)
                .build();
        long oldEmpty = GraphLayout.parseInstance(old).totalSize();
        random = new Random(1);
        for (int i = 0; i < n; i++) {
            old.put(DenylistLookupBenchmark.uuid(random), until);
        }
        long oldJol = GraphLayout.parseInstance(old).totalSize() - oldEmpty;

        System.out.printf("entries                                 %,d%n", n);
        System.out.printf("CaffeineDenylist, JOL totalSize         %,d bytes (%.1f B/entry)%n", jol, (double) jol / n);
        System.out.printf("CaffeineDenylist, used heap after GC    %,d bytes (%.1f B/entry)%n", heap, (double) heap / n);
        System.out.printf("previous Cache<String,Instant>, JOL     %,d bytes (%.1f B/entry)%n", oldJol, (double) oldJol / n);
        if (old.estimatedSize() != n) {
            throw new IllegalStateException("old size " + old.estimatedSize());
        }
        long scaled = Math.max(jol, heap) * 1_000_000L / n;
        System.out.printf("at 1 M entries (larger of the two)      %,d bytes: %s (limit %,d)%n",
                scaled, scaled <= LIMIT_AT_1M ? "PASS" : "FAIL", LIMIT_AT_1M);
        if (scaled > LIMIT_AT_1M) {
            System.exit(1);
        }
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
