package io.github.cognitorevoke.jmh;

import io.github.cognitorevoke.internal.CaffeineDenylist;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One {@link CaffeineDenylist#contains} at 1 k and at 1 M entries, to show that a lookup does not
 * grow with the denylist.
 *
 * <p>Ids are UUID strings like Cognito's {@code jti}; every looked-up id is its own {@code String}
 * (a copy, as the peek makes one per request). Two access patterns:
 * <ul>
 * <li>{@code zipf}: {@value RevocationCheckBenchmark#POOL} ids requested with a Zipf skew, as in
 * {@link RevocationCheckBenchmark} (a few active sessions make most requests);</li>
 * <li>{@code spread}: {@value #SPREAD} ids requested uniformly, so that at 1 M entries the touched
 * part of the table no longer fits in the caches (the worst case for a large denylist).</li>
 * </ul>
 * A hit looks up a denylisted id (a revoked token), a miss an id that is not there (a live token,
 * the common case).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DenylistLookupBenchmark {

    static final int SPREAD = 1 << 16;
    private static final int SEQUENCE = 1 << 16;

    @Param({"1000", "1000000"})
    int entries;

    CaffeineDenylist denylist;
    String[] hitsZipf;
    String[] missesZipf;
    String[] hitsSpread;
    String[] missesSpread;
    int[] zipf;

    /** Each thread's position in the sequences. */
    @State(Scope.Thread)
    public static class Cursor {
        int position;

        @Setup(Level.Trial)
        public void start() {
            position = (int) Thread.currentThread().getId() * 7919;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(7);
        Clock clock = Clock.systemUTC();
        Instant until = clock.instant().plus(Duration.ofHours(2));
        denylist = new CaffeineDenylist(clock);
        // Keep only the ids the benchmark looks up, as the denylist keeps none of them.
        int[] picks = new int[SPREAD];
        for (int i = 0; i < SPREAD; i++) {
            picks[i] = random.nextInt(entries);
        }
        java.util.Arrays.sort(picks);
        hitsSpread = new String[SPREAD];
        int next = 0;
        for (int i = 0; i < entries; i++) {
            String id = uuid(random);
            denylist.add(id, until);
            while (next < SPREAD && picks[next] == i) {
                hitsSpread[next++] = new String(id);
            }
        }
        shuffle(random, hitsSpread);
        missesSpread = new String[SPREAD];
        for (int i = 0; i < SPREAD; i++) {
            missesSpread[i] = uuid(random);
        }
        int pool = RevocationCheckBenchmark.POOL;
        hitsZipf = new String[pool];
        missesZipf = new String[pool];
        System.arraycopy(hitsSpread, 0, hitsZipf, 0, pool);
        System.arraycopy(missesSpread, 0, missesZipf, 0, pool);
        zipf = RevocationCheckBenchmark.zipf(random, pool, 0.99, SEQUENCE);

        if (denylist.size() != entries) {
            throw new IllegalStateException("denylist holds " + denylist.size() + " ids, not " + entries);
        }
        for (int i = 0; i < SPREAD; i++) {
            if (!denylist.contains(hitsSpread[i]) || denylist.contains(missesSpread[i])) {
                throw new IllegalStateException("wrong answer at " + i);
            }
        }
    }

    @Benchmark
    public boolean contains_hit_zipf(Cursor c) {
        return denylist.contains(hitsZipf[zipf[c.position++ & (SEQUENCE - 1)]]);
    }

    @Benchmark
    public boolean contains_miss_zipf(Cursor c) {
        return denylist.contains(missesZipf[zipf[c.position++ & (SEQUENCE - 1)]]);
    }

    @Benchmark
    public boolean contains_hit_spread(Cursor c) {
        return denylist.contains(hitsSpread[c.position++ & (SPREAD - 1)]);
    }

    @Benchmark
    public boolean contains_miss_spread(Cursor c) {
        return denylist.contains(missesSpread[c.position++ & (SPREAD - 1)]);
    }

    static String uuid(Random random) {
        return new UUID(random.nextLong() & ~0xf000L | 0x4000L, random.nextLong() & ~(3L << 62) | (2L << 62)).toString();
    }

    private static void shuffle(Random random, String[] a) {
        for (int k = a.length - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            String t = a[k];
            a[k] = a[j];
            a[j] = t;
        }
    }
}
