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

    private static AppClient client(String access, String id, Instant lastModified) {
        return new AppClient(Duration.parse(access), Duration.parse(id), Duration.ofDays(30), true, false,
                Duration.ZERO, java.util.List.of(), java.util.List.of(), lastModified);
    }

    @ParameterizedTest(name = "access {0}, ID {1}, modified {2}, read {3}: L at {4} is {5}")
    @CsvSource({
            // Modified long ago: the longer of the two validities is L at once.
            "PT1H,  PT1H, 2026-11-01T00:00:00Z, 2026-12-01T12:00:00Z, 2026-12-01T12:00:00Z, PT1H",
            "PT1H,  PT5H, 2026-11-01T00:00:00Z, 2026-12-01T12:00:00Z, 2026-12-01T12:00:00Z, PT5H",
            "PT10M, PT5M, 2026-11-01T00:00:00Z, 2026-12-01T12:00:00Z, 2026-12-01T12:00:00Z, PT10M",
            // Modified an hour ago: a token of the earlier settings may live up to maxTokenLifetime ...
            "PT1H,  PT1H, 2026-12-01T11:00:00Z, 2026-12-01T12:00:00Z, 2026-12-01T12:00:00Z, PT24H",
            "PT1H,  PT1H, 2026-12-01T11:00:00Z, 2026-12-01T12:00:00Z, 2026-12-02T10:59:59Z, PT24H",
            // ... until it has expired, one maxTokenLifetime after the change.
            "PT1H,  PT1H, 2026-12-01T11:00:00Z, 2026-12-01T12:00:00Z, 2026-12-02T11:00:00Z, PT1H",
            // No modification time (or one in the future): counted from the read.
            "PT1H,  PT1H, ,                     2026-12-01T12:00:00Z, 2026-12-02T11:59:59Z, PT24H",
            "PT1H,  PT1H, 2026-12-09T00:00:00Z, 2026-12-01T12:00:00Z, 2026-12-02T12:00:00Z, PT1H"})
    void longest_followsTheAppClient_afterTokensOfItsEarlierSettingsExpired(String access, String id,
            Instant modified, Instant readAt, Instant at, Duration longest) {
        Lifetimes rules = rules("PT24H", "PT1M").with(client(access, id, modified), readAt);
        assertThat(rules.longest(at)).isEqualTo(longest);
    }

    @ParameterizedTest(name = "configured {0}, client {1}: L {2} (never shorter than the client's)")
    @CsvSource({
            "PT1H,  PT5H, PT5H",
            "PT24H, PT1H, PT24H"})
    void longest_whileEarlierSettingsMayLive_theLongerOfConfiguredAndRead(String configured, String id,
                                                                         Duration longest) {
        Lifetimes rules = rules(configured, "PT1M").with(client("PT1H", id, NOW), NOW);
        assertThat(rules.longest(NOW)).isEqualTo(longest);
    }

    @ParameterizedTest(name = "client {0}: family ends {1}, pending family ends {2}, cut-off ends {3}")
    @CsvSource({
            // One-hour tokens: a family an hour and the skew after the logout ...
            "PT1H, 2026-12-01T13:01:00.400Z, 2026-12-03T12:01:00Z, 2026-12-01T13:01:01.400Z",
            // ... the presented token's own longer life still wins; a pending family keeps the configured day.
            "PT5M, 2026-12-01T13:01:00.400Z, 2026-12-03T12:01:00Z, 2026-12-01T12:06:01.400Z"})
    void entries_withTheAppClientRead(String access, Instant family, Instant pendingFamily, Instant cutOffEnd) {
        Lifetimes rules = rules("PT24H", "PT1M").with(client(access, access, Instant.parse("2026-11-01T00:00:00Z")),
                NOW);
        assertThat(rules.family(NOW, Instant.parse("2026-12-01T11:30:00Z"), Instant.parse("2026-12-01T12:30:00Z")))
                .isEqualTo(family);
        assertThat(rules.pendingFamily(Instant.parse("2026-12-02T12:00:00Z"))).isEqualTo(pendingFamily);
        assertThat(rules.cutOff(NOW).until()).isEqualTo(cutOffEnd);
    }

    @ParameterizedTest(name = "rotation {0}, grace {1}: the sign-in ends {2} after the family")
    @CsvSource({
            // Not read: Cognito's longest grace period.
            ",      , PT60S",
            "true,  PT10S, PT10S",
            "true,  PT0S, PT0S",
            "false, PT0S, PT0S"})
    void signIn_livesTheFamilyAndTheGracePeriod(Boolean rotation, Duration grace, Duration after) {
        Lifetimes rules = rules("PT24H", "PT1M");
        if (rotation != null) {
            rules = rules.with(new AppClient(Duration.ofHours(1), Duration.ofHours(1), Duration.ofDays(30), true, rotation,
                    grace, java.util.List.of(), java.util.List.of(), Instant.parse("2026-11-01T00:00:00Z")), NOW);
        }
        Instant iat = NOW.minusSeconds(600);
        Instant exp = iat.plus(Duration.ofHours(1));
        Instant deadline = Instant.parse("2026-12-02T12:00:00Z");

        assertThat(rules.signIn(NOW, iat, exp)).isEqualTo(rules.family(NOW, iat, exp).plus(after));
        assertThat(rules.pendingSignIn(deadline)).isEqualTo(rules.pendingFamily(deadline).plus(after));
        // The bound counts a grace period only once read: unread, a managed-login session's reissue is a new issue.
        Duration issue = rotation == null ? Duration.ZERO : after;
        assertThat(rules.signInIssuedUntil(NOW)).as("the last iat rejected").isEqualTo(NOW.plus(issue).getEpochSecond() - 1);
        assertThat(rules.pendingSignInIssuedUntil(deadline)).isEqualTo(deadline.plus(issue).getEpochSecond() - 1);
    }
}
