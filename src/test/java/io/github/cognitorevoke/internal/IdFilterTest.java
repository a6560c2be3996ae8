package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdFilterTest {

    @Test
    void mightContain_everyAddedHash_andFewOthers_atFullCapacity() {
        IdFilter filter = new IdFilter(100_000);
        SplittableRandom random = new SplittableRandom(3);
        long[] added = new long[filter.capacity()];
        for (int i = 0; i < added.length; i++) {
            added[i] = random.nextLong();
            filter.add(added[i]);
        }
        for (long hash : added) {
            assertThat(filter.mightContain(hash)).isTrue();
        }
        assertThat(filter.full()).isFalse();

        int falsePositives = 0;
        int probes = 200_000;
        for (int i = 0; i < probes; i++) {
            falsePositives += filter.mightContain(random.nextLong()) ? 1 : 0;
        }

        // Two bits of one word, eight bits per id at capacity: about 5 %.
        assertThat(falsePositives / (double) probes).isBetween(0.0, 0.07);
        filter.add(random.nextLong());
        assertThat(filter.full()).isTrue();
    }

    @Test
    void capacity_isAtLeastWhatWasAskedAndAtLeastTheMinimum() {
        assertThat(new IdFilter(0).capacity()).isEqualTo(IdFilter.MIN_CAPACITY);
        assertThat(new IdFilter(1_000_000).capacity()).isBetween(1_000_000, 2_000_000);
    }
}
