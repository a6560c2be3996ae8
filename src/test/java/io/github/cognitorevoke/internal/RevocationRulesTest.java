package io.github.cognitorevoke.internal;

import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.DONE;
import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.FORBIDDEN;
import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.MISCONFIGURED;
import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.NOT_ACCEPTED;
import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.THROTTLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.InvalidRequestException;
import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.LogoutResult.Refusal.Reason;
import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.RevocationUnavailableException;
import io.github.cognitorevoke.internal.CognitoGateway.Outcome;
import io.github.cognitorevoke.support.EngineFixture;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's retry, cap, deadline and lifetime rules against a scripted Cognito: no wire for the
 * Cognito calls (the wire stub only issues tokens and serves the key set), time moved by hand.
 */
class RevocationRulesTest {

    private static final String CLIENT = "webclient";
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final Duration LIFETIME = Duration.ofDays(1);
    private static final Duration DEADLINE = Duration.ofHours(6);

    private final TestClock clock = TestClock.atNow();
    private final ScriptedCognitoGateway cognito = new ScriptedCognitoGateway();
    private CognitoStub stub;
    private RevocationEngine engine;

    @BeforeEach
    void start() {
        stub = CognitoStub.builder().clock(clock).start();
        stub.addClient(CLIENT, null, true);
        engine = engine(b -> b);
    }

    @AfterEach
    void stop() {
        engine.close();
        stub.close();
    }

    private RevocationEngine engine(UnaryOperator<RevocationSettings.Builder> tune) {
        return EngineFixture.against(stub).clock(clock).cognito(cognito)
                .settings(s -> tune.apply(s.pendingDeadline(DEADLINE))).build();
    }

    private void useEngine(UnaryOperator<RevocationSettings.Builder> tune) {
        engine.close();
        engine = engine(tune);
    }

    /** Sweeps every 5 minutes (the longest backoff) until the given instant, as the retry thread would. */
    private void sweepUntil(Instant end) {
        while (clock.instant().plus(RetryWorker.LONGEST_RETRY).isBefore(end)) {
            clock.advance(RetryWorker.LONGEST_RETRY);
            engine.retryDue();
        }
        clock.advance(Duration.between(clock.instant(), end));
        engine.retryDue();
    }

    // ------------------------------------------------------------------ key spaces

    @Test
    void logout_refreshTokenSpelledAsGlobalSignOutKey_leavesPendingSignOutAlone() {
        StubTokens alice = stub.login(CLIENT, "alice");
        String sub = alice.accessClaims().getSubject();
        cognito.onGlobalSignOut(t -> THROTTLED);
        assertThat(engine.signOutEverywhere(alice.accessToken()).status()).isEqualTo(Status.PENDING);

        assertThatThrownBy(() -> engine.logout(null, "global:" + sub)).isInstanceOf(InvalidRequestException.class);
        String spelled = CognitoStub.unknownRefreshToken(sub);
        cognito.onRevoke(t -> NOT_ACCEPTED);
        assertThat(engine.logout(null, spelled).status()).isEqualTo(Status.REFUSED);
        cognito.onRevoke(t -> THROTTLED);
        assertThat(engine.logout(null, spelled).status()).as("its own entry").isEqualTo(Status.PENDING);

        assertThat(engine.pendingCount()).isEqualTo(2);
        cognito.onGlobalSignOut(t -> DONE);
        cognito.onRevoke(t -> NOT_ACCEPTED);
        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();
        assertThat(cognito.globalSignOutCallCount()).as("the sign-out was still retried").isEqualTo(2);
        assertThat(engine.pendingCount()).isZero();
    }

    // ------------------------------------------------------------------ lifetimes

    static Stream<Arguments> laterOutcomes() {
        return Stream.of(Arguments.of("completed", DONE), Arguments.of("refused as the client's fault", NOT_ACCEPTED),
                Arguments.of("refused as misconfiguration", MISCONFIGURED), Arguments.of("pending too", THROTTLED));
    }

    @ParameterizedTest(name = "junk refresh token {0}")
    @MethodSource("laterOutcomes")
    void logout_junkRefreshTokenWithGenuineAccessToken_neverShortensPendingFamilyEntry(String name, Outcome junk) {
        StubTokens t = stub.login(CLIENT, "alice");
        Instant logout = clock.instant();
        cognito.onRevoke(r -> THROTTLED);
        assertThat(engine.logout(t.accessToken(), t.refreshToken()).status()).isEqualTo(Status.PENDING);

        cognito.onRevoke(r -> r.equals(t.refreshToken()) ? THROTTLED : junk);
        engine.logout(t.accessToken(), "junk-refresh-token");
        cognito.onRevoke(r -> DONE);
        clock.advance(Duration.ofMinutes(10));
        engine.retryDue();

        // The sign-in's entry (the family's and the rotation grace period) is the last to go.
        Instant end = logout.plus(DEADLINE).plus(LIFETIME).plus(SKEW).plus(Lifetimes.LONGEST_GRACE);
        clock.advance(Duration.between(clock.instant(), end).minusSeconds(1));
        assertThat(engine.isRevoked(t.idToken())).as("ID token of the family, 1 s before the end").isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.isRevoked(t.idToken())).isFalse();
    }

    @Test
    void logout_twoFamiliesSharingAPendingRefreshToken_bothEndAtTheEntrysDeadlineBasedEnd() {
        StubTokens a = stub.login(CLIENT, "alice");
        StubTokens b = stub.login(CLIENT, "alice");
        cognito.onRevoke(r -> THROTTLED);
        Instant first = clock.instant();
        engine.logout(a.accessToken(), a.refreshToken());
        clock.advance(Duration.ofHours(1));
        assertThat(engine.logout(b.accessToken(), a.refreshToken()).status()).isEqualTo(Status.PENDING);
        assertThat(engine.pendingCount()).as("merged, not counted twice").isEqualTo(1);
        assertThat(cognito.revokeCallCount()).as("no second call for a pending token").isEqualTo(1);

        cognito.onRevoke(r -> DONE);
        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();
        assertThat(engine.pendingCount()).isZero();

        Instant end = first.plus(DEADLINE).plus(LIFETIME).plus(SKEW).plus(Lifetimes.LONGEST_GRACE); // both of one sign-in: one second, one auth_time
        clock.advance(Duration.between(clock.instant(), end).minusSeconds(1));
        assertThat(engine.isRevoked(a.idToken())).isTrue();
        assertThat(engine.isRevoked(b.idToken())).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.isRevoked(a.idToken())).as("never forever").isFalse();
        assertThat(engine.isRevoked(b.idToken())).as("never forever").isFalse();
    }

    @ParameterizedTest(name = "Cognito: {0}")
    @MethodSource("laterOutcomes")
    void familyEntry_nothingPending_livesMaxTokenLifetimeFromLogout_pending_livesPastDeadline(String name, Outcome outcome) {
        stub.setAccessTokenValidity(Duration.ofMinutes(10));
        StubTokens t = stub.login(CLIENT, "alice");
        clock.advance(Duration.ofMinutes(4));
        Instant logout = clock.instant();
        cognito.onRevoke(r -> outcome);

        engine.logout(t.accessToken(), t.refreshToken());

        Instant end = (outcome == THROTTLED ? logout.plus(DEADLINE) : logout).plus(LIFETIME).plus(SKEW).plus(Lifetimes.LONGEST_GRACE);
        clock.advance(Duration.between(clock.instant(), end).minusSeconds(1));
        assertThat(engine.isRevoked(t.idToken())).as("the ID token may outlive the 10-minute access token").isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.isRevoked(t.idToken())).isFalse();
    }

    @Test
    void jtiEntry_endsAtExpPlusSkew() {
        StubTokens t = stub.login(CLIENT, "alice");
        String noFamily = stub.jwt().sign(new com.nimbusds.jwt.JWTClaimsSet.Builder(t.accessClaims())
                .claim("origin_jti", null).claim("auth_time", null).build()); // no family, no sign-in: the jti alone
        engine.logout(noFamily, null);

        clock.advance(Duration.ofHours(1).plus(SKEW).minusSeconds(1));
        assertThat(engine.isRevoked(noFamily)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.isRevoked(noFamily)).isFalse();
    }

    @Test
    void cutOff_livesMaxTokenLifetimePlusSkew() {
        StubTokens t = stub.login(CLIENT, "alice");
        clock.advance(Duration.ofSeconds(2));
        engine.cutOff(t.accessClaims().getSubject());

        clock.advance(LIFETIME.plus(SKEW));
        assertThat(engine.isRevoked(t.idToken())).isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(engine.isRevoked(t.idToken())).isFalse();
    }

    // ------------------------------------------------------------------ deadlines

    static Stream<Arguments> pendingKinds() {
        return Stream.of(Arguments.of("verified RevokeToken", true, false),
                Arguments.of("unverified RevokeToken", false, false),
                Arguments.of("GlobalSignOut (deadline = the access token's exp)", true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pendingKinds")
    void pendingEntry_keptUntilItsDeadline_thenDropped(String name, boolean withAccessToken, boolean global) {
        StubTokens t = stub.login(CLIENT, "alice");
        cognito.onRevoke(r -> THROTTLED).onGlobalSignOut(a -> THROTTLED);
        Instant deadline = global ? t.accessClaims().getExpirationTime().toInstant() : clock.instant().plus(DEADLINE);
        if (global) {
            engine.signOutEverywhere(t.accessToken());
        } else {
            engine.logout(withAccessToken ? t.accessToken() : null, t.refreshToken());
        }

        sweepUntil(deadline.minusSeconds(1));
        assertThat(engine.pendingCount()).as("kept until its deadline").isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        engine.retryDue();
        assertThat(engine.pendingCount()).as("dropped at its deadline").isZero();
        assertThat(engine.pendingBytes()).isZero();
    }

    @Test
    void pendingEntry_duplicateLogoutLater_doesNotExtendItsDeadline() {
        StubTokens t = stub.login(CLIENT, "alice");
        cognito.onRevoke(r -> THROTTLED);
        Instant deadline = clock.instant().plus(DEADLINE);
        engine.logout(null, t.refreshToken());
        clock.advance(DEADLINE.minusMinutes(1));
        StubTokens fresh = stub.refresh(CLIENT, t.refreshToken());
        assertThat(engine.logout(fresh.accessToken(), t.refreshToken()).status()).isEqualTo(Status.PENDING);
        assertThat(engine.unverifiedPendingCount()).as("upgraded to verified").isZero();

        sweepUntil(deadline);
        assertThat(engine.pendingCount()).isZero();
    }

    // ------------------------------------------------------------------ backoff

    @ParameterizedTest(name = "attempt {0}: {1} s to {2} s")
    @CsvSource({"1, 0.5, 1", "2, 1, 2", "3, 2, 4", "4, 4, 8", "9, 128, 256", "10, 150, 300", "40, 150, 300",
            "2147483647, 150, 300"})
    void backoff_staysWithinBounds(int attempts, double min, double max) {
        for (int i = 0; i < 200; i++) {
            assertThat(RetryWorker.backoff(attempts))
                    .isBetween(Duration.ofMillis((long) (min * 1000)), Duration.ofMillis((long) (max * 1000)));
        }
    }

    @Test
    void sweep_beforeBackoff_onlyOneProbeWhileCognitoFails() {
        cognito.onRevoke(r -> THROTTLED);
        for (int i = 0; i < 3; i++) {
            StubTokens t = stub.login(CLIENT, "user" + i);
            engine.logout(t.accessToken(), t.refreshToken());
        }
        cognito.clearCalls();

        engine.retryDue();

        assertThat(cognito.revokeCallCount()).as("nothing due: one probe, not every entry").isEqualTo(1);
        assertThat(engine.pendingCount()).isEqualTo(3);
    }

    @Test
    void gatewayThrows_entryRequeued_notLeakedInFlight() {
        cognito.onRevoke(r -> {
            throw new IllegalStateException("bug in a gateway");
        });
        assertThat(engine.logout(null, CognitoStub.unknownRefreshToken()).status()).isEqualTo(Status.PENDING);
        cognito.onRevoke(r -> DONE);
        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();
        assertThat(engine.pendingCount()).isZero();
    }

    // ------------------------------------------------------------------ caps

    @Test
    void logout_refreshTokenOver8KiB_invalidRequest_noCall() {
        String label = "x".repeat(8 * 1024 - CognitoStub.unknownRefreshToken("x").length() + 1);
        String huge = CognitoStub.unknownRefreshToken(label + "x");
        assertThatThrownBy(() -> engine.logout(null, huge)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("8 KiB").satisfies(e -> assertThat(e.getMessage()).doesNotContain(huge));
        assertThat(cognito.revokeCallCount()).isZero();
        assertThat(engine.logout(null, CognitoStub.unknownRefreshToken(label)).status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void unverifiedCap_count_refusesNewWorkWithoutCall_keepsAccepted_mergesDuplicates() {
        useEngine(b -> b.maxPendingRevocations(3));
        cognito.onRevoke(r -> THROTTLED);
        for (int i = 0; i < 3; i++) {
            assertThat(engine.logout(null, CognitoStub.unknownRefreshToken("junk-" + i)).status())
                    .isEqualTo(Status.PENDING);
        }
        assertThat(engine.logout(null, CognitoStub.unknownRefreshToken("junk-1")).status()).as("duplicate merged")
                .isEqualTo(Status.PENDING);
        assertThatThrownBy(() -> engine.logout(null, CognitoStub.unknownRefreshToken("junk-3")))
                .isInstanceOf(RevocationUnavailableException.class)
                .hasMessage("Too many revocations are waiting for the identity provider; try again later");
        assertThat(cognito.revokeCallCount()).as("no call for the refused one or the duplicate").isEqualTo(3);
        assertThat(engine.pendingCount()).isEqualTo(3);

        StubTokens genuine = stub.login(CLIENT, "alice");
        assertThat(engine.logout(genuine.accessToken(), genuine.refreshToken()).status())
                .as("verified work is not capped by unverified work").isEqualTo(Status.PENDING);
        assertThat(engine.pendingCount()).isEqualTo(4);
    }

    @Test
    void unverifiedCap_bytes_refusesNewWork() {
        useEngine(b -> b.maxPendingBytes(16 * 1024));
        cognito.onRevoke(r -> THROTTLED);
        String big = "y".repeat(8 * 1024 - 100);
        assertThat(engine.logout(null, CognitoStub.unknownRefreshToken(big + "1")).status()).isEqualTo(Status.PENDING);
        assertThatThrownBy(() -> engine.logout(null, CognitoStub.unknownRefreshToken(big + "2")))
                .isInstanceOf(RevocationUnavailableException.class);
        assertThat(engine.logout(null, CognitoStub.unknownRefreshToken("small")).status()).isEqualTo(Status.PENDING);
        assertThat(engine.unverifiedPendingBytes()).isLessThanOrEqualTo(16 * 1024);
    }

    @Test
    void familyShare_fifthRefreshTokenCountsAsUnverified_andIsCapped_otherFamiliesUnaffected() {
        useEngine(b -> b.maxPendingRevocations(1));
        cognito.onRevoke(r -> THROTTLED);
        StubTokens t = stub.login(CLIENT, "alice");
        for (int i = 0; i < PendingRevocations.MAX_DIGESTS_PER_FAMILY; i++) {
            assertThat(engine.logout(t.accessToken(), "junk-" + i).status()).isEqualTo(Status.PENDING);
        }
        assertThat(engine.unverifiedPendingCount()).as("four per family are verified").isZero();
        assertThat(engine.logout(t.accessToken(), "junk-4").status()).isEqualTo(Status.PENDING);
        assertThat(engine.unverifiedPendingCount()).as("the fifth counts as unverified").isEqualTo(1);
        int calls = cognito.revokeCallCount();
        assertThatThrownBy(() -> engine.logout(t.accessToken(), "junk-5"))
                .isInstanceOf(RevocationUnavailableException.class);
        assertThat(cognito.revokeCallCount()).isEqualTo(calls);
        assertThat(engine.pendingCount()).isEqualTo(5);

        StubTokens other = stub.login(CLIENT, "bob");
        assertThat(engine.logout(other.accessToken(), "junk-5").status()).as("bob's family has room")
                .isEqualTo(Status.PENDING);
    }

    // ------------------------------------------------------------------ sweep order

    @Test
    void sweep_servesVerifiedFirst_unverifiedBoundedAndStoppedByFirstRetry() {
        cognito.onRevoke(r -> THROTTLED);
        for (int i = 0; i < 100; i++) {
            engine.logout(null, CognitoStub.unknownRefreshToken("junk-" + i));
        }
        StubTokens genuine = stub.login(CLIENT, "alice");
        engine.logout(genuine.accessToken(), genuine.refreshToken());
        cognito.clearCalls();

        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();
        assertThat(cognito.revokeCallCount()).as("genuine, then the first junk call retries: stop").isEqualTo(1);
        assertThat(cognito.revokeCallsOf(genuine.refreshToken())).isEqualTo(1);

        cognito.onRevoke(r -> r.contains(".junk-") ? NOT_ACCEPTED : DONE);
        cognito.clearCalls();
        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();
        assertThat(cognito.revokeCallsOf(genuine.refreshToken())).isEqualTo(1);
        assertThat(cognito.revokeCallCount()).isEqualTo(1 + RetryWorker.UNVERIFIED_CALLS_PER_SWEEP);
        assertThat(engine.pendingCount()).isEqualTo(100 - RetryWorker.UNVERIFIED_CALLS_PER_SWEEP);
    }

    @Test
    void sweep_cognitoRecovers_verifiedEntryCompletesOnFirstSweep_despiteLongBackoff() {
        cognito.onRevoke(r -> THROTTLED);
        StubTokens genuine = stub.login(CLIENT, "alice");
        engine.logout(genuine.accessToken(), genuine.refreshToken());
        for (int i = 0; i < 30; i++) {
            clock.advance(RetryWorker.LONGEST_RETRY);
            engine.retryDue();
        }
        cognito.onRevoke(r -> DONE);
        clock.advance(Duration.ofSeconds(1));
        engine.retryDue();
        assertThat(engine.pendingCount()).isZero();
    }

    // ------------------------------------------------------------------ unverified logouts

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "junk", "a.b.c.d.e", "not.a.jws",
            "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a.b.c",
            "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a.b.c.d!",
            "W10.e30.c2ln"})
    void logout_refreshTokenAloneNotShapedLikeOne_invalidRequest_noCall(String junk) {
        assertThatThrownBy(() -> engine.logout(null, junk)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("The refresh_token is not a refresh token");
        assertThat(cognito.revokeCallCount()).isZero();
    }

    @Test
    void logout_refreshTokenAloneShapedLikeCognitosOrAnEmulators_goesToCognito() {
        StubTokens t = stub.login(CLIENT, "alice");
        // Cognito issues a compact JWE; emulators (cognito-local) a signed JWT.
        assertThat(engine.logout(null, t.refreshToken()).status()).isEqualTo(Status.COMPLETED);
        assertThat(engine.logout(null, stub.jwt().sign(t.accessClaims())).status()).isEqualTo(Status.COMPLETED);
        assertThat(cognito.revokeCallCount()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ AWS WAF

    @Test
    void logout_refreshTokenAloneBlockedByWaf_refusedNotKept_capStaysFree() {
        useEngine(b -> b.maxPendingRevocations(2));
        cognito.onRevoke(r -> FORBIDDEN);
        for (int i = 0; i < 5; i++) {
            LogoutResult result = engine.logout(null, CognitoStub.unknownRefreshToken());
            assertThat(result.status()).isEqualTo(Status.REFUSED);
            assertThat(result.refusal()).hasValueSatisfying(r -> {
                assertThat(r.reason()).isEqualTo(Reason.CLIENT_MISCONFIGURED);
                assertThat(r.cognitoError()).isEqualTo("ForbiddenException");
                assertThat(r.description()).contains("WAF").contains("not retried");
            });
        }
        assertThat(engine.pendingCount()).as("nothing kept for a day").isZero();

        StubTokens genuine = stub.login(CLIENT, "alice");
        cognito.onRevoke(r -> THROTTLED);
        assertThat(engine.logout(null, genuine.refreshToken()).status()).as("no 503: the cap is free")
                .isEqualTo(Status.PENDING);
    }

    @Test
    void pendingRefreshTokenAlone_blockedByWafOnRetry_droppedAtOnce() {
        cognito.onRevoke(r -> THROTTLED);
        engine.logout(null, CognitoStub.unknownRefreshToken());
        cognito.onRevoke(r -> FORBIDDEN);
        cognito.clearCalls();

        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();
        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();

        assertThat(cognito.revokeCallCount()).isEqualTo(1);
        assertThat(engine.pendingCount()).isZero();
    }

    @Test
    void logout_verifiedBlockedByWaf_pendingAndRetriedUntilLetThrough() {
        StubTokens t = stub.login(CLIENT, "alice");
        cognito.onRevoke(r -> FORBIDDEN);
        assertThat(engine.logout(t.accessToken(), t.refreshToken()).status()).isEqualTo(Status.PENDING);

        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();
        assertThat(engine.pendingCount()).as("still retried").isEqualTo(1);
        cognito.onRevoke(r -> DONE);
        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();
        assertThat(engine.pendingCount()).isZero();
    }
}
