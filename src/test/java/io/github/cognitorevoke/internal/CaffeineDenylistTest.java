package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CaffeineDenylistTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final CaffeineDenylist denylist = new CaffeineDenylist(clock);

    @Test
    void contains_beforeEnd_true_afterEnd_false() {
        denylist.add("jti-1", clock.instant().plusSeconds(60));
        clock.advance(Duration.ofSeconds(59));
        assertThat(denylist.contains("jti-1")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(denylist.contains("jti-1")).isFalse();
    }

    @Test
    void add_withEarlierEnd_keepsLaterEnd() {
        denylist.add("origin", clock.instant().plusSeconds(600));
        denylist.add("origin", clock.instant().plusSeconds(10));
        clock.advance(Duration.ofSeconds(300));
        assertThat(denylist.contains("origin")).isTrue();
    }

    @Test
    void manyEntries_noneEvictedBeforeItsEnd() {
        // No size bound: an evicted entry would readmit a revoked token.
        for (int i = 0; i < 200_000; i++) {
            denylist.add("jti-" + i, clock.instant().plusSeconds(3600));
        }
        for (int i = 0; i < 200_000; i += 997) {
            assertThat(denylist.contains("jti-" + i)).as("jti-" + i).isTrue();
        }
        assertThat(denylist.size()).isEqualTo(200_000);
    }

    @Test
    void cutOff_keepsLatestNotBefore_andExpires() {
        denylist.cutOff("sub-1", Instant.ofEpochSecond(1000), clock.instant().plusSeconds(100));
        denylist.cutOff("sub-1", Instant.ofEpochSecond(900), clock.instant().plusSeconds(50));
        assertThat(denylist.notBeforeEpochSecond("sub-1")).isEqualTo(1000);
        assertThat(denylist.notBeforeEpochSecond("sub-2")).isEqualTo(Long.MIN_VALUE);
        clock.advance(Duration.ofSeconds(100));
        assertThat(denylist.notBeforeEpochSecond("sub-1")).isEqualTo(Long.MIN_VALUE);
    }
}
