package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.cognitorevoke.InvalidTokenException;
import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.LogoutResult.Refusal.Reason;
import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.RevocationUnavailableException;
import io.github.cognitorevoke.support.EngineFixture;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.RevokeCall;
import io.github.cognitorevoke.testing.StubTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine against the Cognito wire stub, through the real AWS SDK and Nimbus. */
class RevocationEngineTest {

    private static final String CLIENT = "webclient";
    private static final String SECRET_CLIENT = "secretclient";
    private static final String SECRET = "client-secret-value";
    private static final String NO_REVOCATION_CLIENT = "legacyclient";
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final TestClock clock = TestClock.atNow();
    private CognitoStub stub;
    private RevocationEngine engine;

    @BeforeEach
    void start() {
        stub = CognitoStub.builder().clock(clock).start();
        stub.addClient(CLIENT, null, true);
        stub.addClient(SECRET_CLIENT, SECRET, true);
        stub.addClient(NO_REVOCATION_CLIENT, null, false);
        engine = engine(CLIENT, null);
    }

    @AfterEach
    void stop() {
        engine.close();
        stub.close();
    }

    private RevocationEngine engine(String clientId, String secret) {
        return EngineFixture.against(stub).client(clientId).clock(clock).settings(s -> {
            // Generous: the first SDK call of a JVM loads many classes and may be slow on CI.
            s.clockSkew(SKEW).cognitoTimeout(Duration.ofSeconds(3));
            return secret == null ? s : s.clientSecret(secret);
        }).build();
    }

    private RevocationEngine useEngine(String clientId, String secret) {
        engine.close();
        engine = engine(clientId, secret);
        return engine;
    }

    // ------------------------------------------------------------------ logout outcomes

    @Test
    void logout_withBothTokens_denylistsWholeFamily_andRevokesAtCognito() {
        StubTokens first = stub.login(CLIENT, "alice");
        StubTokens sibling = stub.refresh(CLIENT, first.refreshToken());
        clock.advance(Duration.ofSeconds(1)); // another sign-in: another auth_time (one second ends both: SignInRuleTest)
        StubTokens otherDevice = stub.login(CLIENT, "alice");

        LogoutResult result = engine.logout(sibling.accessToken(), sibling.refreshToken());

        assertThat(result).isEqualTo(new LogoutResult(Status.COMPLETED, true, java.util.Optional.empty(), true));
        assertThat(engine.isRevoked(sibling.accessToken())).isTrue();
        assertThat(engine.isRevoked(first.accessToken())).as("earlier sibling").isTrue();
        assertThat(engine.isRevoked(first.idToken())).as("ID token of the family").isTrue();
        assertThat(engine.isRevoked(otherDevice.accessToken())).as("other device").isFalse();
        assertThat(stub.isRevoked(first.refreshToken())).isTrue();
        assertThat(stub.isRevoked(otherDevice.refreshToken())).isFalse();
        RevokeCall call = stub.revokeCalls().get(0);
        assertThat(call.clientId()).isEqualTo(CLIENT);
        assertThat(call.clientSecretPresent()).isFalse();
        assertThat(call.authorizationHeaderPresent()).as("anonymous, unsigned call").isFalse();
    }

    @Test
    void logout_accessTokenOnly_denylistsWithoutCallingCognito() {
        StubTokens t = stub.login(CLIENT, "alice");

        LogoutResult result = engine.logout(t.accessToken(), null);

        assertThat(result.status()).isEqualTo(Status.COMPLETED);
        assertThat(result.accessTokenDenylisted()).isTrue();
        assertThat(engine.isRevoked(t.accessToken())).isTrue();
        assertThat(stub.revokeCallCount()).isZero();
    }

    @Test
    void logout_refreshTokenOnly_revokesAtCognito_denylistsNothing() {
        StubTokens t = stub.login(CLIENT, "alice");

        LogoutResult result = engine.logout(null, t.refreshToken());

        assertThat(result.status()).isEqualTo(Status.COMPLETED);
        assertThat(result.accessTokenDenylisted()).isFalse();
        assertThat(stub.isRevoked(t.refreshToken())).isTrue();
        assertThat(engine.isRevoked(t.accessToken())).isFalse();
    }

    @Test
    void logout_twice_isIdempotent() {
        StubTokens t = stub.login(CLIENT, "alice");
        assertThat(engine.logout(t.accessToken(), t.refreshToken()).status()).isEqualTo(Status.COMPLETED);
        assertThat(engine.logout(t.accessToken(), t.refreshToken()).status()).isEqualTo(Status.COMPLETED);
        assertThat(engine.isRevoked(t.accessToken())).isTrue();
    }

    @Test
    void logout_clientWithSecret_sendsSecret() {
        useEngine(SECRET_CLIENT, SECRET);
        StubTokens t = stub.login(SECRET_CLIENT, "alice");

        assertThat(engine.logout(t.accessToken(), t.refreshToken()).status()).isEqualTo(Status.COMPLETED);
        assertThat(stub.revokeCalls().get(0).clientSecret()).isEqualTo(SECRET);
        assertThat(stub.isRevoked(t.refreshToken())).isTrue();
    }

    @Test
    void logout_withWrongSecret_refusedAsConfiguration_localDenylistStands() {
        useEngine(SECRET_CLIENT, "wrong-secret");
        StubTokens t = stub.login(SECRET_CLIENT, "alice");
        StubTokens sibling = stub.refresh(SECRET_CLIENT, t.refreshToken());

        LogoutResult result = engine.logout(t.accessToken(), t.refreshToken());

        assertRefused(result, "UnauthorizedException", false);
        assertThat(engine.isRevoked(t.accessToken())).isTrue();
        assertThat(engine.isRevoked(sibling.accessToken())).isTrue();
        assertThat(stub.isRevoked(t.refreshToken())).isFalse();
        assertThat(engine.pendingCount()).as("not retried").isZero();
    }

    @Test
    void logout_revocationDisabledOnClient_refusedAsConfiguration() {
        useEngine(NO_REVOCATION_CLIENT, null);
        StubTokens t = stub.login(NO_REVOCATION_CLIENT, "alice");

        LogoutResult result = engine.logout(t.accessToken(), t.refreshToken());

        assertRefused(result, "UnsupportedOperationException", false);
        // Such tokens carry neither jti nor origin_jti: there is nothing to denylist.
        assertThat(result.accessTokenDenylisted()).isFalse();
        assertThat(engine.pendingCount()).isZero();
    }

    @Test
    void logout_accessTokenAsRefreshToken_refusedAsClientFault() {
        StubTokens t = stub.login(CLIENT, "alice");

        LogoutResult result = engine.logout(null, t.accessToken());

        assertRefused(result, "UnsupportedTokenTypeException", true);
        assertThat(result.refusal().orElseThrow().reason()).isEqualTo(Reason.NOT_A_REFRESH_TOKEN);
        assertThat(result.endsSession()).as("nothing changed").isFalse();
    }

    @Test
    void logout_garbageRefreshToken_refusedAsClientFault() {
        assertRefused(engine.logout(null, CognitoStub.unknownRefreshToken()), "InvalidParameterException", true);
    }

    @Test
    void logout_refreshTokenOfAnotherClient_refused_andNotRevoked() {
        StubTokens foreign = stub.login(SECRET_CLIENT, "alice");

        LogoutResult result = engine.logout(null, foreign.refreshToken());

        assertThat(result.status()).isEqualTo(Status.REFUSED);
        assertThat(stub.isRevoked(foreign.refreshToken())).isFalse();
    }

    @Test
    void logout_tokenWithoutOriginJti_stillDenylistsJti() {
        StubTokens t = stub.login(CLIENT, "alice");
        JWTClaimsSet claims = new JWTClaimsSet.Builder(t.accessClaims()).claim("origin_jti", null)
                .jwtID(java.util.UUID.randomUUID().toString()).build();
        String token = stub.jwt().sign(claims);
        clock.advance(Duration.ofSeconds(1)); // the sign-in's tokens were minted before the logout's second

        assertThat(engine.logout(token, null).accessTokenDenylisted()).isTrue();
        assertThat(engine.isRevoked(token)).isTrue();
        assertThat(engine.isRevoked(t.accessToken())).as("no family link without origin_jti, but the same sign-in")
                .isTrue();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "UnauthorizedException, CLIENT_MISCONFIGURED", "UnsupportedOperationException, CLIENT_MISCONFIGURED",
            "OperationNotEnabledException, CLIENT_MISCONFIGURED", "ResourceNotFoundException, CLIENT_MISCONFIGURED",
            "InvalidParameterException, MALFORMED_TOKEN", "UnsupportedTokenTypeException, NOT_A_REFRESH_TOKEN",
            "NotAuthorizedException, TOKEN_NOT_ACCEPTED", "SomeFutureException, CLIENT_MISCONFIGURED"})
    void logout_cognitoPermanentRefusal_reportedNotRetried_localDenylistStands(String error, Reason reason) {
        StubTokens t = stub.login(CLIENT, "alice");
        stub.failNext(1, error);

        LogoutResult result = engine.logout(t.accessToken(), t.refreshToken());

        assertRefused(result, error, reason.clientFault());
        assertThat(result.refusal().orElseThrow().reason()).isEqualTo(reason);
        assertThat(result.endsSession()).as("an access token was denylisted").isTrue();
        assertThat(engine.pendingCount()).isZero();
        assertThat(engine.isRevoked(t.accessToken())).isTrue();
        engine.retryDue();
        assertThat(stub.revokeCallCount()).isEqualTo(1);
    }

    private static void assertRefused(LogoutResult result, String error, boolean clientFault) {
        assertThat(result.status()).isEqualTo(Status.REFUSED);
        assertThat(result.refusal()).hasValueSatisfying(r -> {
            assertThat(r.cognitoError()).isEqualTo(error);
            assertThat(r.clientFault()).isEqualTo(clientFault);
            assertThat(r.description()).isNotBlank();
        });
    }

    // ------------------------------------------------------------------ transient failures

    static Stream<Arguments> transientFailures() {
        return Stream.of(
                Arguments.of("TooManyRequestsException", (Consumer<CognitoStub>) s -> s.failNext(1, "TooManyRequestsException")),
                Arguments.of("InternalErrorException", (Consumer<CognitoStub>) s -> s.failNext(1, "InternalErrorException")),
                Arguments.of("ForbiddenException (WAF)", (Consumer<CognitoStub>) s -> s.failNext(1, "ForbiddenException")),
                Arguments.of("unknown 503", (Consumer<CognitoStub>) s -> s.failNext(1, "ServiceUnavailable", 503)),
                Arguments.of("connection reset", (Consumer<CognitoStub>) s -> s.resetConnectionNext(1)),
                Arguments.of("timeout", (Consumer<CognitoStub>) s -> s.delayNext(1, Duration.ofSeconds(4))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFailures")
    void logout_cognitoTransientFailure_pendingThenCompletesOnRetry(String name, Consumer<CognitoStub> failure) {
        StubTokens t = stub.login(CLIENT, "alice");
        StubTokens sibling = stub.refresh(CLIENT, t.refreshToken());
        failure.accept(stub);

        LogoutResult result = engine.logout(t.accessToken(), t.refreshToken());

        assertThat(result.status()).isEqualTo(Status.PENDING);
        assertThat(result.accessTokenDenylisted()).isTrue();
        assertThat(engine.pendingCount()).isEqualTo(1);
        Instant logout = clock.instant();
        // While Cognito has not confirmed, the refresh token can mint siblings: the family stays
        // denylisted until the pending entry's deadline plus the longest token lifetime.
        clock.advance(Duration.ofHours(20));
        StubTokens later = stub.refresh(CLIENT, t.refreshToken());
        assertThat(engine.isRevoked(later.accessToken())).isTrue();
        assertThat(engine.isRevoked(sibling.idToken())).isTrue();

        engine.retryDue();

        assertThat(engine.pendingCount()).isZero();
        assertThat(stub.isRevoked(t.refreshToken())).isTrue();
        // The confirmation changes nothing in the denylist: the end set at logout stands.
        Instant end = logout.plus(Duration.ofDays(2)).plus(SKEW).plus(Lifetimes.LONGEST_GRACE); // the sign-in's entry
        clock.advance(Duration.between(clock.instant(), end).minusSeconds(1));
        assertThat(engine.isRevoked(later.accessToken())).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.isRevoked(later.accessToken())).isFalse();
    }

    @Test
    void retry_whileCognitoFails_onceEachSweep_untilCognitoRecovers() {
        StubTokens t = stub.login(CLIENT, "alice");
        stub.failNext(4, "TooManyRequestsException");

        assertThat(engine.logout(t.accessToken(), t.refreshToken()).status()).isEqualTo(Status.PENDING);
        assertThat(stub.revokeCallCount()).isEqualTo(1);

        engine.retryDue();
        assertThat(stub.revokeCallCount()).as("not due yet, but probed once: Cognito is failing").isEqualTo(2);
        engine.retryDue();
        assertThat(stub.revokeCallCount()).as("one probe per sweep").isEqualTo(3);
        for (int attempt = 4; attempt <= 5; attempt++) {
            clock.advance(RetryWorker.LONGEST_RETRY);
            engine.retryDue();
            assertThat(stub.revokeCallCount()).isEqualTo(attempt);
        }
        assertThat(engine.pendingCount()).isZero();
        assertThat(stub.isRevoked(t.refreshToken())).isTrue();
    }

    @Test
    void retry_permanentRefusalAfterTransient_stopsRetrying_familyEntryKeepsItsEnd() {
        StubTokens t = stub.login(CLIENT, "alice");
        stub.failNext(1, "TooManyRequestsException");
        stub.failNext(1, "UnauthorizedException");

        Instant logout = clock.instant();
        assertThat(engine.logout(t.accessToken(), t.refreshToken()).status()).isEqualTo(Status.PENDING);
        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();

        assertThat(engine.pendingCount()).isZero();
        assertThat(stub.revokeCallCount()).isEqualTo(2);
        Instant end = logout.plus(Duration.ofDays(2)).plus(SKEW).plus(Lifetimes.LONGEST_GRACE); // the sign-in's entry
        clock.advance(Duration.between(clock.instant(), end).minusSeconds(1));
        assertThat(engine.isRevoked(t.idToken())).as("the refusal does not shorten the family entry").isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.isRevoked(t.idToken())).isFalse();
    }

    @Test
    void warnings_oncePerCause_andNeverCarryATokenOrSecret() {
        java.util.List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.github.cognitorevoke");
        jul.addHandler(handler);
        try {
            useEngine(SECRET_CLIENT, "wrong-secret-value");
            StubTokens a = stub.login(SECRET_CLIENT, "alice");
            StubTokens b = stub.login(SECRET_CLIENT, "bob");
            stub.failNext(2, "TooManyRequestsException");
            engine.logout(a.accessToken(), a.refreshToken());
            engine.logout(b.accessToken(), b.refreshToken());
            clock.advance(RetryWorker.LONGEST_RETRY);
            engine.retryDue(); // now both refused: the secret is wrong
            assertThat(stub.revokeCallCount()).isEqualTo(4);

            java.util.List<String> warnings = records.stream()
                    .filter(r -> r.getLevel() == java.util.logging.Level.WARNING)
                    .map(r -> java.text.MessageFormat.format(r.getMessage(),
                            r.getParameters() == null ? new Object[0] : r.getParameters()))
                    .toList();
            assertThat(warnings).filteredOn(w -> w.contains("TooManyRequestsException")).hasSize(1);
            assertThat(warnings).filteredOn(w -> w.contains("clientSecret")).hasSize(1);
            for (String w : warnings) {
                assertThat(w).doesNotContain(a.accessToken(), a.refreshToken(), b.accessToken(), b.refreshToken(),
                        "wrong-secret-value", a.accessClaims().getJWTID());
            }
        } finally {
            jul.removeHandler(handler);
        }
    }

    @Test
    void backoff_growsToFiveMinutes() {
        assertThat(RetryWorker.backoff(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(RetryWorker.backoff(4)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
        assertThat(RetryWorker.backoff(40)).isBetween(Duration.ofMinutes(2).plusSeconds(30), Duration.ofMinutes(5));
    }

    // ------------------------------------------------------------------ bad tokens

    interface Forgery {
        String make(CognitoStub stub, StubTokens genuine);
    }

    static Stream<Arguments> forgedTokens() {
        return Stream.of(
                Arguments.of("signed by an unknown key", (Forgery) (s, g) -> s.jwt().signWithUnknownKey(g.accessClaims())),
                Arguments.of("foreign key under the pool's kid",
                        (Forgery) (s, g) -> s.jwt().signWithForeignKeyUnderStubKid(g.accessClaims())),
                Arguments.of("foreign pool (issuer)", (Forgery) (s, g) -> s.jwt().sign(
                        new JWTClaimsSet.Builder(g.accessClaims()).issuer(s.issuer() + "x").build())),
                Arguments.of("foreign client", (Forgery) (s, g) -> s.jwt().sign(
                        new JWTClaimsSet.Builder(g.accessClaims()).claim("client_id", "otherclient").build())),
                Arguments.of("ID token at the access token's place", (Forgery) (s, g) -> g.idToken()),
                Arguments.of("expired beyond the skew", (Forgery) (s, g) -> s.jwt().sign(
                        new JWTClaimsSet.Builder(g.accessClaims())
                                .expirationTime(Date.from(g.accessClaims().getIssueTime().toInstant().minusSeconds(31))).build())),
                Arguments.of("alg=none", (Forgery) (s, g) -> s.jwt().unsigned(g.accessClaims())),
                Arguments.of("HS256 keyed with the public key", (Forgery) (s, g) -> s.jwt().hs256WithPublicKey(g.accessClaims())),
                Arguments.of("HS256 keyed with the PEM public key",
                        (Forgery) (s, g) -> s.jwt().hs256WithPublicKeyPem(g.accessClaims())),
                Arguments.of("tampered payload", (Forgery) (s, g) -> tamper(g.accessToken())),
                Arguments.of("not a JWT", (Forgery) (s, g) -> "abc.def"));
    }

    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                .replace("\"username\":\"alice\"", "\"username\":\"mallory\"");
        return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgedTokens")
    void logout_withForgedAccessToken_rejected_denylistsNothing_revokesNothing(String name, Forgery forgery) {
        StubTokens victim = stub.login(CLIENT, "alice");
        String forged = forgery.make(stub, victim);

        assertThatThrownBy(() -> engine.logout(forged, victim.refreshToken()))
                .isInstanceOf(InvalidTokenException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(victim.accessToken()));

        assertThat(engine.isRevoked(victim.accessToken())).as("victim's token still accepted").isFalse();
        assertThat(engine.isRevoked(forged)).isFalse();
        assertThat(stub.revokeCallCount()).as("no Cognito call").isZero();
        assertThat(stub.isRevoked(victim.refreshToken())).isFalse();
    }

    @Test
    void logout_expiredWithinSkew_accepted() {
        StubTokens t = stub.login(CLIENT, "alice");
        clock.advance(Duration.ofHours(1).plusSeconds(20));
        assertThat(engine.logout(t.accessToken(), null).accessTokenDenylisted()).isTrue();
    }

    @Test
    void logout_expiredPastSkew_rejected() {
        StubTokens t = stub.login(CLIENT, "alice");
        clock.advance(Duration.ofHours(1).plusSeconds(31));
        assertThatThrownBy(() -> engine.logout(t.accessToken(), null)).isInstanceOf(InvalidTokenException.class);
    }

    // ------------------------------------------------------------------ keys

    @Test
    void verify_tokenWithNewKid_refetchesKeySet() {
        StubTokens before = stub.login(CLIENT, "alice");
        engine.logout(before.accessToken(), null);
        int fetches = stub.jwksFetchCount();

        stub.rotateKey();
        StubTokens after = stub.login(CLIENT, "bob");

        assertThat(engine.logout(after.accessToken(), null).accessTokenDenylisted()).isTrue();
        assertThat(stub.jwksFetchCount()).isEqualTo(fetches + 1);
    }

    @Test
    void verify_manyUnknownKids_refetchIsRateLimited() {
        StubTokens t = stub.login(CLIENT, "alice");
        engine.logout(t.accessToken(), null);
        int fetches = stub.jwksFetchCount();

        for (int i = 0; i < 5; i++) { // each a new RSA key (a kid never seen), ~0.1 s to make
            String forged = stub.jwt().signWithUnknownKey(t.accessClaims());
            assertThatThrownBy(() -> engine.logout(forged, null)).isInstanceOf(InvalidTokenException.class);
        }

        assertThat(stub.jwksFetchCount() - fetches).isLessThanOrEqualTo(1);
    }

    @Test
    void verify_keySetUnreachable_unavailable_changesNothing() {
        stub.failJwksNext(10);
        StubTokens t = stub.login(CLIENT, "alice");

        assertThatThrownBy(() -> engine.logout(t.accessToken(), t.refreshToken()))
                .isInstanceOf(RevocationUnavailableException.class);

        assertThat(engine.isRevoked(t.accessToken())).isFalse();
        assertThat(stub.revokeCallCount()).isZero();
    }

    // ------------------------------------------------------------------ denylist expiry

    @Test
    void jtiEntry_endsAtExpPlusSkew() {
        StubTokens t = stub.login(CLIENT, "alice");
        String noFamily = stub.jwt().sign(new JWTClaimsSet.Builder(t.accessClaims()).claim("origin_jti", null)
                .claim("auth_time", null).build()); // no family, no sign-in: the jti alone
        engine.logout(noFamily, null);

        clock.advance(Duration.ofHours(1).plus(SKEW).minusSeconds(1));
        assertThat(engine.isRevoked(noFamily)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.isRevoked(noFamily)).isFalse();
    }

    @Test
    void familyEntry_accessTokenOnlyLogout_livesMaxTokenLifetimeFromLogout() {
        stub.setAccessTokenValidity(Duration.ofMinutes(10));
        StubTokens t = stub.login(CLIENT, "alice");
        clock.advance(Duration.ofMinutes(4));
        engine.logout(t.accessToken(), null);
        StubTokens sibling = stub.refresh(CLIENT, t.refreshToken());

        // ID tokens of the family can live a day, whatever the access tokens' validity. (The sibling is of
        // the logout's own second, so the sign-in's entry, which lives the grace period longer, leaves it.)
        clock.advance(Duration.ofDays(1).plus(SKEW).minusSeconds(1));
        assertThat(engine.isRevoked(sibling.accessToken())).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.isRevoked(sibling.accessToken())).isFalse();
    }

    // ------------------------------------------------------------------ sign-out cut-off

    @Test
    void cutOff_rejectsTokensIssuedBefore_acceptsLaterOnes() {
        StubTokens before = stub.login(CLIENT, "alice");
        StubTokens otherUser = stub.login(CLIENT, "bob");
        clock.advance(Duration.ofMillis(300));

        engine.cutOff(before.accessClaims().getSubject());

        assertThat(engine.isRevoked(before.accessToken())).isTrue();
        assertThat(engine.isRevoked(before.idToken())).isTrue();
        assertThat(engine.isRevoked(otherUser.accessToken())).isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(engine.isRevoked(stub.login(CLIENT, "alice").accessToken())).isFalse();
    }

    // ------------------------------------------------------------------ the cheap check

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "Bearer", "a.b.c", "....", "eyJ.eyJ.sig"})
    void isRevoked_notAJwt_false(String token) {
        assertThat(engine.isRevoked(token)).isFalse();
    }
}
