package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.TokenRejectedEvent;
import io.github.cognitorevoke.support.EngineFixture;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import io.github.cognitorevoke.support.RotatingClient;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.CognitoStub.ChainRevocation;
import io.github.cognitorevoke.testing.CognitoStub.OriginJti;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;

/**
 * The sign-in rule ({@code sub} + {@code auth_time}) against the stub's rotating app client, in every
 * combination of what AWS does not document: {@code origin_jti} kept or renewed on rotation, and
 * {@code RevokeToken} ending the whole chain or only the presented token's own tokens. Refreshes go
 * through the real AWS SDK ({@code GetTokensFromRefreshToken}), and so does the engine's
 * {@code RevokeToken}.
 */
class SignInRuleTest {

    private static final String CLIENT = "rotating";
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration L = Duration.ofHours(1);
    private static final Duration SKEW = Duration.ofMinutes(1);

    private final TestClock clock = TestClock.atNow();
    private CognitoStub stub;
    private CognitoIdentityProviderClient sdk;
    private RevocationEngine engine;
    private final List<TokenRejectedEvent.Match> rejections = new ArrayList<>();

    /** One sign-in's tokens, as the application holds them after each refresh. */
    private record Link(String access, String id, String refresh) {
    }

    static Stream<Arguments> combinations() {
        return Stream.of(OriginJti.values()).flatMap(o -> Stream.of(ChainRevocation.values()).map(c -> Arguments.of(o, c)));
    }

    @BeforeEach
    void start() {
        stub = CognitoStub.start(clock);
        RotatingClient.register(stub, CLIENT, GRACE, Duration.ofDays(30));
        stub.setAccessTokenValidity(L);
        sdk = RotatingClient.sdk(stub);
        EngineFixture fixture = EngineFixture.against(stub).client(CLIENT).clock(clock)
                .settings(s -> s.maxTokenLifetime(L).clockSkew(SKEW));
        // With credentials the engine reads the app client, and so knows its grace period (30 s).
        engine = fixture.cognito(new SdkCognitoGateway(fixture.settings(), StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDTEST", "test-secret-key")))).build();
        engine.readAppClient();
        engine.observers().add(new RevocationObserver() {
            @Override
            public void rejected(String path, String sub, TokenRejectedEvent.Match match) {
                rejections.add(match);
            }
        });
    }

    @AfterEach
    void stop() {
        engine.close();
        sdk.close();
        stub.close();
    }

    private Link signIn(String user) {
        var t = stub.login(CLIENT, user);
        return new Link(t.accessToken(), t.idToken(), t.refreshToken());
    }

    /** {@code GetTokensFromRefreshToken} over the SDK, a minute after the last link. */
    private Link refresh(Link from) {
        clock.advance(Duration.ofMinutes(1));
        return refreshNow(from);
    }

    private Link refreshNow(Link from) {
        AuthenticationResultType r = sdk.getTokensFromRefreshToken(q -> q.clientId(CLIENT).refreshToken(from.refresh()))
                .authenticationResult();
        return new Link(r.accessToken(), r.idToken(), r.refreshToken());
    }

    /** A sign-in of alice refreshed twice, under the given behaviour: its three links, oldest first. */
    private List<Link> chain(OriginJti o, ChainRevocation c) {
        stub.setRotationBehaviour(o, c);
        Link first = signIn("alice");
        Link second = refresh(first);
        return List.of(first, second, refresh(second));
    }

    private void assertAllRejected(List<Link> links) {
        for (int i = 0; i < links.size(); i++) {
            assertThat(engine.isRevoked(links.get(i).access())).as("access token of link " + i).isTrue();
            assertThat(engine.isRevoked(links.get(i).id())).as("ID token of link " + i).isTrue();
        }
    }

    @ParameterizedTest(name = "origin_jti {0}, revocation ends {1}")
    @MethodSource("combinations")
    void logoutWithTheNewestTokens_rejectsEveryTokenOfTheSignIn_beforeAndAfterRotations(OriginJti o, ChainRevocation c) {
        List<Link> chain = chain(o, c);
        Link third = chain.get(2);
        clock.advance(Duration.ofSeconds(1));
        Link otherDevice = signIn("alice");
        Link otherUser = signIn("bob");

        LogoutResult result = engine.logout(third.access(), third.refresh());

        assertThat(result.status()).isEqualTo(LogoutResult.Status.COMPLETED);
        assertThat(result.signInEnded()).isTrue();
        assertAllRejected(chain);
        assertThat(engine.isRevoked(otherDevice.access())).as("the user's other sign-in").isFalse();
        assertThat(engine.isRevoked(otherUser.access())).isFalse();
    }

    /**
     * The link before the newest stays usable for the grace period where the revocation ended only
     * the newest token's own: tokens refreshed from it after the logout are rejected until the last
     * of them has expired, also past the family entry's end.
     */
    @ParameterizedTest(name = "origin_jti {0}, revocation ends {1}")
    @MethodSource("combinations")
    void tokensRefreshedWithinTheGracePeriodAfterTheLogout_rejectedUntilTheyExpire(OriginJti o, ChainRevocation c) {
        List<Link> chain = chain(o, c); // the second link's grace period starts with the third
        Link second = chain.get(1);
        Link third = chain.get(2);
        engine.logout(third.access(), third.refresh());

        clock.advance(GRACE.minusSeconds(2));
        if (c == ChainRevocation.WHOLE_CHAIN) {
            assertThatThrownBy(() -> refreshNow(second)).isInstanceOf(NotAuthorizedException.class);
            return;
        }
        Link late = refreshNow(second);
        assertThat(engine.isRevoked(late.access())).isTrue();

        // The family entry (logout + L + skew) is gone; the late token is accepted until 28 s + L + skew.
        clock.advance(L.plus(SKEW).plusSeconds(1));
        assertThat(engine.isRevoked(late.access())).as("refreshed in the grace period, not expired").isTrue();
        assertThat(engine.isRevoked(late.id())).isTrue();
        // The app client was read: G is its grace period, 30 s after the family.
        clock.advance(GRACE.minusSeconds(30));
        assertThat(engine.isRevoked(late.access())).as("the entry's last second").isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.isRevoked(late.access())).as("expired: the entry may go").isFalse();
    }

    @ParameterizedTest(name = "origin_jti {0}, revocation ends {1}")
    @MethodSource("combinations")
    void logoutWithARefreshTokenRotatedAway_stillEndsTheSignIn_andSaysSo(OriginJti o, ChainRevocation c) {
        List<Link> chain = chain(o, c);
        Link first = chain.get(0);
        Link third = chain.get(2);
        clock.advance(GRACE.plusSeconds(1));

        // The application kept the first link: its refresh token was rotated away, its grace is over.
        LogoutResult result = engine.logout(first.access(), first.refresh());

        assertThat(result.signInEnded()).isTrue();
        assertThat(result.accessTokenDenylisted()).isTrue();
        assertAllRejected(chain);
        engine.reportRejection("/data", "Bearer " + third.access());
        assertThat(rejections).containsExactly(o == OriginJti.RENEWED ? TokenRejectedEvent.Match.SIGN_IN
                : TokenRejectedEvent.Match.ORIGIN_JTI);
        if (c == ChainRevocation.OWN_TOKENS) {
            // Cognito revoked the old link only: the newest keeps refreshing; its tokens are rejected until
            // the logout plus the grace period read, and taken as a new issue after it (the documented limit).
            assertThat(stub.isRevoked(third.refresh())).isFalse();
            clock.advance(GRACE.minusSeconds(1));
            Link within = refreshNow(third);
            assertThat(engine.isRevoked(within.access())).isTrue();
            assertThat(engine.isRevoked(within.id())).isTrue();
            clock.advance(Duration.ofSeconds(1));
            if (o == OriginJti.RENEWED) {
                assertThat(engine.isRevoked(refreshNow(within).access())).isFalse();
            }
        }
    }

    @Test
    void signInsOfTheSameUserInTheSameSecond_areEndedTogether() {
        stub.setRotationBehaviour(OriginJti.RENEWED, ChainRevocation.OWN_TOKENS);
        Link one = signIn("alice");
        Link two = signIn("alice"); // the same second: the same auth_time

        engine.logout(one.access(), one.refresh());

        assertThat(engine.isRevoked(two.access())).as("one sign-in key for both: ended together").isTrue();
    }

    @Test
    void appClientNotRead_tokensOfTheSameAuthTimeIssuedAfterTheLogout_areANewIssue_andAccepted() throws Exception {
        stub.setRotationBehaviour(OriginJti.RENEWED, ChainRevocation.OWN_TOKENS);
        Link link = signIn("alice");
        // No credentials: the app client is not read, its grace period not known.
        try (RevocationEngine unread = EngineFixture.against(stub).client(CLIENT).clock(clock)
                .settings(s -> s.maxTokenLifetime(L).clockSkew(SKEW)).build()) {
            unread.logout(link.access(), link.refresh());
            var claims = com.nimbusds.jwt.SignedJWT.parse(link.access()).getJWTClaimsSet();
            String before = stub.jwt().sign(new com.nimbusds.jwt.JWTClaimsSet.Builder(claims)
                    .issueTime(java.util.Date.from(clock.instant().minusSeconds(1))).jwtID("j-before").claim("origin_jti", "o-1").build());
            // As a managed-login session reissues for a browser sent to sign in again at once: the logout's
            // own second, the first auth_time.
            String reissued = stub.jwt().sign(new com.nimbusds.jwt.JWTClaimsSet.Builder(claims)
                    .issueTime(java.util.Date.from(clock.instant())).jwtID("j-next").claim("origin_jti", "o-2").build());

            assertThat(unread.isRevoked(before)).as("issued until the logout: a token of the sign-in").isTrue();
            assertThat(unread.isRevoked(reissued)).as("issued after it: a new issue, no sign-in loop").isFalse();
        }
    }

    @Test
    void tokensOfTheSameAuthTimeIssuedAfterTheGracePeriod_areANewIssue_andAccepted() throws Exception {
        stub.setRotationBehaviour(OriginJti.RENEWED, ChainRevocation.OWN_TOKENS);
        Link link = signIn("alice");
        engine.logout(link.access(), link.refresh());
        var claims = com.nimbusds.jwt.SignedJWT.parse(link.access()).getJWTClaimsSet();

        // As a managed-login session might reissue: the first authentication's auth_time, a new iat.
        clock.advance(GRACE.minusSeconds(1));
        String within = stub.jwt().sign(new com.nimbusds.jwt.JWTClaimsSet.Builder(claims)
                .issueTime(java.util.Date.from(clock.instant())).jwtID("j-within").claim("origin_jti", "o-within").build());
        clock.advance(Duration.ofSeconds(1));
        String after = stub.jwt().sign(new com.nimbusds.jwt.JWTClaimsSet.Builder(claims)
                .issueTime(java.util.Date.from(clock.instant())).jwtID("j-after").claim("origin_jti", "o-after").build());

        assertThat(engine.isRevoked(within)).as("issued within the grace period after the logout").isTrue();
        assertThat(engine.isRevoked(after)).as("issued later: not a token of the sign-in that was ended").isFalse();
    }

    @Test
    void aRefreshTokenAlone_endsNoSignIn() {
        stub.setRotationBehaviour(OriginJti.RENEWED, ChainRevocation.OWN_TOKENS);
        Link first = signIn("alice");
        Link second = refresh(first);

        LogoutResult result = engine.logout(null, first.refresh());

        assertThat(result.signInEnded()).isFalse();
        assertThat(engine.isRevoked(second.access())).as("nothing verified, nothing of the sign-in written").isFalse();
    }

    // ------------------------------------------------------------------ as an attacker

    @Test
    void aForgedAccessToken_namingSomeoneElsesSignIn_writesNothing() {
        Link victim = signIn("alice");
        var claims = stub.login(CLIENT, "mallory").accessClaims();
        // Mallory's token with alice's sub and auth_time, under the same signature: no longer verifiable.
        String[] parts = stub.login(CLIENT, "mallory").accessToken().split("\\.");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new com.nimbusds.jwt.JWTClaimsSet.Builder(claims).subject(stub.login(CLIENT, "alice").accessClaims()
                        .getSubject()).build().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];

        assertThatThrownBy(() -> engine.logout(forged, null)).isInstanceOf(io.github.cognitorevoke.InvalidTokenException.class);
        assertThat(engine.isRevoked(victim.access())).isFalse();
    }

    @Test
    void anIssuedTokenWhoseIdsHaveTheSignInForm_endsOnlyItsOwnSignIn() throws Exception {
        Link victim = signIn("alice");
        var alice = com.nimbusds.jwt.SignedJWT.parse(victim.access()).getJWTClaimsSet();
        var mallory = stub.login(CLIENT, "mallory").accessClaims();
        String odd = stub.jwt().sign(new com.nimbusds.jwt.JWTClaimsSet.Builder(mallory)
                .jwtID(SignIn.id(alice.getSubject(), TokenIds.authTime(alice), Long.MAX_VALUE))
                .claim("origin_jti", SignIn.id(alice.getSubject(), TokenIds.authTime(alice), Long.MAX_VALUE)).build());

        LogoutResult result = engine.logout(odd, null);

        assertThat(result.signInEnded()).isTrue();
        assertThat(engine.isRevoked(odd)).as("mallory's own sign-in").isTrue();
        assertThat(engine.isRevoked(victim.access())).as("alice's untouched").isFalse();
    }
}
