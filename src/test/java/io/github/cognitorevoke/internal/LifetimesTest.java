package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The four entry-lifetime rules as a table; L = maxTokenLifetime, S = clockSkew. */
class LifetimesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00.400Z");

    private static Lifetimes rules(String maxTokenLifetime, String clockSkew) {
        return new Lifetimes(Duration.parse(maxTokenLifetime), Duration.parse(clockSkew));
    }

    @ParameterizedTest(name = "exp {0}, S {1}: ends {2}")
    @CsvSource({
            "2026-12-01T13:00:00Z, PT1M, 2026-12-01T13:01:00Z",
            "2026-12-01T13:00:00Z, PT0S, 2026-12-01T13:00:00Z"})
    void jti_endsAtExpiryPlusSkew(Instant exp, Duration skew, Instant end) {
        assertThat(new Lifetimes(Duration.ofHours(24), skew).jti(exp)).isEqualTo(end);
    }

    @ParameterizedTest(name = "L {0}, token lives {1}..{2}: ends {3}")
    @CsvSource({
            // The pool's longest lifetime wins over a shorter access token ...
            "PT24H, 2026-12-01T11:00:00Z, 2026-12-01T12:00:00Z, 2026-12-02T12:01:00.400Z",
            // ... and a token that lives longer than L (a misconfigured L) wins over L.
            "PT1H,  2026-12-01T11:00:00Z, 2026-12-01T14:00:00Z, 2026-12-01T15:01:00.400Z",
            "PT3H,  2026-12-01T11:00:00Z, 2026-12-01T14:00:00Z, 2026-12-01T15:01:00.400Z"})
    void family_endsAfterTheLongerOfMaxLifetimeAndTheTokensOwn(String max, Instant iat, Instant exp, Instant end) {
        assertThat(rules(max, "PT1M").family(NOW, iat, exp)).isEqualTo(end);
    }

    @ParameterizedTest(name = "deadline {0}, L {1}: ends {2}")
    @CsvSource({
            "2026-12-02T12:00:00Z, PT24H, 2026-12-03T12:01:00Z",
            "2026-12-01T12:00:00Z, PT1H,  2026-12-01T13:01:00Z"})
    void pendingFamily_endsAfterTheDeadlinePlusMaxLifetimeAndSkew(Instant deadline, String max, Instant end) {
        assertThat(rules(max, "PT1M").pendingFamily(deadline)).isEqualTo(end);
    }

    @ParameterizedTest(name = "at {0}: not before {1}, ends {2}")
    @CsvSource({
            // The current second is rejected too: tokens carry whole seconds.
            "2026-12-01T12:00:00.400Z, 2026-12-01T12:00:01Z, 2026-12-02T12:01:01.400Z",
            "2026-12-01T12:00:00Z,     2026-12-01T12:00:01Z, 2026-12-02T12:01:01Z"})
    void cutOff_rejectsTheCurrentSecond_andEndsAfterMaxLifetimeSkewAndASecond(Instant now, Instant notBefore,
                                                                             Instant end) {
        Lifetimes.CutOff cut = rules("PT24H", "PT1M").cutOff(now);
        assertThat(cut.notBefore()).isEqualTo(notBefore);
        assertThat(cut.until()).isEqualTo(end);
    }
}
