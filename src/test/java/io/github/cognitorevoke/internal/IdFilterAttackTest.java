package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.support.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Attack review of the Bloom filter in front of the denylist's id table: a denylisted id must be
 * found by every lookup that starts after its {@code add} returned, through rebuilds and under
 * concurrent reads. All HELD: regression tests.
 */
class IdFilterAttackTest {

    /** HELD: readers racing a writer that forces several rebuilds never miss an id whose add returned. */
    @Test
    void concurrentReadersDuringRebuilds_neverMissAnAddedId() throws Exception {
        TestClock clock = TestClock.atNow();
        CaffeineDenylist denylist = new CaffeineDenylist(clock);
        Instant until = clock.instant().plus(Duration.ofHours(1));
        int total = 5 * IdFilter.MIN_CAPACITY; // rebuilds at 8 K, 16 K, 32 K
        AtomicInteger published = new AtomicInteger();
        AtomicReference<String> missed = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < total; i++) {
                    denylist.add("jti-" + i, until);
                    published.set(i + 1);
                }
            });
            Runnable reader = () -> {
                SplittableRandom random = new SplittableRandom();
                while (published.get() < total && missed.get() == null) {
                    int n = published.get();
                    if (n == 0) {
                        continue;
                    }
                    // the newest one and a random older one
                    for (int i : new int[] {n - 1, random.nextInt(n)}) {
                        if (!denylist.contains("jti-" + i)) {
                            missed.compareAndSet(null, "jti-" + i + " after " + n + " adds");
                        }
                    }
                }
            };
            Future<?> r1 = pool.submit(reader);
            Future<?> r2 = pool.submit(reader);
            writer.get(120, TimeUnit.SECONDS);
            r1.get(120, TimeUnit.SECONDS);
            r2.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(missed.get()).isNull();
        for (int i = 0; i < total; i++) {
            assertThat(denylist.contains("jti-" + i)).isTrue();
        }
    }

    /**
     * HELD: an id that expired and is written again (a second logout with a later end) after a
     * rebuild that left it out is in the filter again.
     */
    @Test
    void expiredIdAddedAgainAfterARebuild_isFound() {
        TestClock clock = TestClock.atNow();
        CaffeineDenylist denylist = new CaffeineDenylist(clock);
        denylist.add("again", clock.instant().plusSeconds(10));
        clock.advance(Duration.ofMillis(10_001));
        Instant later = clock.instant().plus(Duration.ofHours(1));
        for (int i = 0; i <= IdFilter.MIN_CAPACITY; i++) {
            denylist.add("other-" + i, later);
        }
        denylist.add("again", later);
        assertThat(denylist.contains("again")).isTrue();
    }

    /** HELD: extending an entry that is still live keeps it found through a rebuild. */
    @Test
    void liveIdExtendedAcrossRebuild_isFound() {
        TestClock clock = TestClock.atNow();
        CaffeineDenylist denylist = new CaffeineDenylist(clock);
        denylist.add("kept", clock.instant().plusSeconds(60));
        for (int i = 0; i <= 2 * IdFilter.MIN_CAPACITY; i++) {
            denylist.add("other-" + i, clock.instant().plusSeconds(600));
        }
        denylist.add("kept", clock.instant().plusSeconds(6000));
        clock.advance(Duration.ofSeconds(100));
        assertThat(denylist.contains("kept")).isTrue();
    }
}
