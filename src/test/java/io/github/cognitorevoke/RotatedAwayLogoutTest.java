package io.github.cognitorevoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.support.JettyFixture;
import io.github.cognitorevoke.support.RotatingClient;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.testing.CognitoStub;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;

/**
 * Over HTTP (the filter in embedded Jetty), a logout that presents a refresh token already rotated
 * away (its grace period over) with the access token the application kept beside it: the hardest of
 * the stub's rotation behaviours ({@code origin_jti} renewed, revocation ending only the presented
 * token's own), with Cognito accepting or refusing the stale token.
 */
class RotatedAwayLogoutTest {

    /** The stub's clock, behind the server's, so that every token it mints here is of a second before the logout. */
    private final TestClock clock = new TestClock(java.time.Instant.now().minusSeconds(10));
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private CognitoStub stub;
    private CognitoIdentityProviderClient sdk;
    private JettyFixture jetty;

    @BeforeEach
    void start() throws Exception {
        stub = CognitoStub.start(clock);
        RotatingClient.register(stub, StubSettings.CLIENT, Duration.ofSeconds(1), Duration.ofDays(30));
        stub.setRotationBehaviour(CognitoStub.OriginJti.RENEWED, CognitoStub.ChainRevocation.OWN_TOKENS);
        sdk = RotatingClient.sdk(stub);
        jetty = JettyFixture.start(JettyFixture.app(stub, "/app", Map.of()));
    }

    @AfterEach
    void stop() throws Exception {
        jetty.close();
        sdk.close();
        stub.close();
    }

    private AuthenticationResultType refresh(String refreshToken) {
        clock.advance(Duration.ofSeconds(1));
        return sdk.getTokensFromRefreshToken(r -> r.clientId(StubSettings.CLIENT).refreshToken(refreshToken))
                .authenticationResult();
    }

    private HttpResponse<String> get(String accessToken) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/app/api/data"))
                .header("Authorization", "Bearer " + accessToken).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "Cognito's answer for the stale token: {0}")
    @EnumSource(CognitoStub.StaleRevocation.class)
    void logout_withARefreshTokenRotatedAway_endsTheSignIn_andSaysWhatHappened(CognitoStub.StaleRevocation answer)
            throws Exception {
        stub.setStaleRevocation(answer);
        var first = stub.login(StubSettings.CLIENT, "alice");
        AuthenticationResultType second = refresh(first.refreshToken());
        AuthenticationResultType third = refresh(second.refreshToken());
        clock.advance(Duration.ofSeconds(2)); // the first two refresh tokens' grace is over
        assertThat(get(third.accessToken()).statusCode()).isEqualTo(200);

        HttpResponse<String> logout = http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/app/logout"))
                .header("Authorization", "Bearer " + first.accessToken())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("refresh_token="
                        + URLEncoder.encode(first.refreshToken(), StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());

        if (answer == CognitoStub.StaleRevocation.ACCEPTED) {
            assertThat(logout.statusCode()).isEqualTo(204);
        } else {
            // Cognito's refusal is the client's answer, as for any refused refresh token; it says the rest.
            assertThat(logout.statusCode()).isEqualTo(400);
            assertThat(logout.body()).contains("\"error\":\"invalid_grant\"")
                    .contains("every token of this sign-in is rejected here all the same");
        }
        assertThat(stub.isRevoked(third.refreshToken())).as("Cognito left the newest link alive").isFalse();
        // Every token minted until the logout. (The app client is not read here, so the newest link's
        // refreshes after the logout are a new issue: SignInRuleTest covers the grace period read.)
        for (String token : List.of(first.accessToken(), first.idToken(), second.accessToken(), third.accessToken(),
                third.idToken())) {
            HttpResponse<String> r = get(token);
            assertThat(r.statusCode()).as(com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().toString()).isEqualTo(401);
            assertThat(r.body()).contains("invalid_token");
        }
    }
}
