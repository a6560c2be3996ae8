package io.github.cognitorevoke.it;

import static io.github.cognitorevoke.it.AppClient.REVOKED_CHALLENGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.RevokeCall;
import io.github.cognitorevoke.testing.StubTokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The library in a real server (WildFly or Payara, one deployment) against the Cognito wire stub, which
 * runs in this test JVM: the shared denylist of filter and CDI bean, token families, Cognito's failure
 * outcomes, forged tokens, and the client secret from {@code ${env:...}}.
 *
 * <p>The filter's client has a secret, and {@code web.xml} names it only as
 * {@code ${env:COGNITO_REVOKE_IT_SECRET}} (set by Failsafe, inherited by the server).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StubbedCognitoIT {

    private static final String CLIENT = "1itstubclient2k1j5g6f7d8s9a0"; // a Cognito-shaped client id
    private static final String SECRET_ENV = "COGNITO_REVOKE_IT_SECRET";
    private static final Duration BACKGROUND_RETRY = Duration.ofSeconds(30);
    /** How long a step already under way (an answered call, a settled entry) may take to show. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private static CognitoStub stub;
    private static WebArchive war;

    @ArquillianResource
    private URL base;

    private static AppClient app;

    /** Runs before any beforeAll: starts the stub here, so its port can go into web.xml. */
    @Deployment(testable = false)
    static WebArchive deployment() {
        stub = CognitoStub.start();
        stub.addClient(CLIENT, secret(), true);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("region", stub.region());
        params.put("userPoolId", stub.userPoolId());
        params.put("clientId", CLIENT);
        params.put("clientSecret", "${env:" + SECRET_ENV + "}");
        params.put("endpoint", stub.endpoint().toString());
        params.put("issuer", stub.issuer());
        params.put("jwksUri", stub.jwksUri());
        // Generous: the first SDK call in a fresh server JVM loads many classes (seconds on a busy machine).
        params.put("cognitoTimeout", "20s");
        war = TestWars.app("stubbed", params);
        return war;
    }

    @AfterAll
    static void stopStub() {
        if (stub != null) {
            stub.close();
        }
    }

    @BeforeEach
    void setUp() {
        if (app == null) {
            app = new AppClient(base).requireDeployed();
        }
        stub.clearRevokeCalls();
    }

    private static String secret() {
        String secret = System.getenv(SECRET_ENV);
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException(SECRET_ENV + " is not set: run the integration tests with mvn verify");
        }
        RunSecrets.remember(secret);
        return secret;
    }

    private StubTokens login(String username) {
        StubTokens t = stub.login(CLIENT, username);
        RunSecrets.remember(t.accessToken());
        RunSecrets.remember(t.idToken());
        RunSecrets.remember(t.refreshToken());
        return t;
    }

    private void assertRejectedAsRevoked(String token) {
        HttpResponse<String> r = app.get("protected", token);
        assertThat(r.statusCode()).as("status for a revoked token").isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue(REVOKED_CHALLENGE);
        assertThat(r.body()).doesNotContain("protected resource");
    }

    private void assertAccepted(String token) {
        HttpResponse<String> r = app.get("protected", token);
        assertThat(r.statusCode()).as("status for a live token").isEqualTo(200);
        assertThat(r.body()).isEqualTo("protected resource");
    }

    @Test
    void logoutThroughTheInjectedBean_makesTheFilterRejectTheAccessToken() {
        StubTokens alice = login("alice");
        assertAccepted(alice.accessToken());

        HttpResponse<String> r = app.logoutThroughBean(alice.accessToken(), alice.refreshToken());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(AppClient.value(r.body(), "status")).isEqualTo("COMPLETED");
        assertThat(AppClient.value(r.body(), "accessTokenDenylisted")).isEqualTo("true");
        assertRejectedAsRevoked(alice.accessToken());
        assertThat(stub.isRevoked(alice.refreshToken())).isTrue();
    }

    @Test
    void logoutThroughTheFilter_makesTheInjectedBeanReportTheTokensRevoked() {
        StubTokens bob = login("bob");
        assertThat(app.isRevokedPerBean(bob.accessToken())).isFalse();

        assertThat(app.logout(bob.accessToken(), bob.refreshToken()).statusCode()).isEqualTo(204);

        assertThat(app.isRevokedPerBean(bob.accessToken())).isTrue();
        assertThat(app.isRevokedPerBean(bob.idToken())).isTrue();
        assertThat(stub.isRevoked(bob.refreshToken())).isTrue();
    }

    @Test
    void logoutWithOneTokenOfAFamily_rejectsSiblingsMintedBeforeAndRefreshedAfter_andIdTokens() {
        StubTokens first = login("carol");
        StubTokens siblingBefore = stub.refresh(CLIENT, first.refreshToken());
        nextSecond(); // another sign-in: another auth_time (sign-ins of one user in one second end together)
        StubTokens otherDevice = login("carol");
        RunSecrets.remember(siblingBefore.accessToken());
        RunSecrets.remember(siblingBefore.idToken());

        // access token only: the refresh token stays valid at Cognito, so the family can mint more tokens
        assertThat(app.logout(siblingBefore.accessToken(), null).statusCode()).isEqualTo(204);
        StubTokens refreshedAfter = stub.refresh(CLIENT, first.refreshToken());
        RunSecrets.remember(refreshedAfter.accessToken());
        RunSecrets.remember(refreshedAfter.idToken());

        assertThat(refreshedAfter.originJti()).isEqualTo(first.originJti());
        assertRejectedAsRevoked(siblingBefore.accessToken());
        assertRejectedAsRevoked(first.accessToken());
        assertRejectedAsRevoked(refreshedAfter.accessToken());
        assertRejectedAsRevoked(first.idToken());
        assertRejectedAsRevoked(refreshedAfter.idToken());
        assertAccepted(otherDevice.accessToken());
        assertThat(stub.revokeCalls()).isEmpty();
    }

    @Test
    void cognitoThrottling_answers202_andTheRevocationCompletesInTheBackground() throws Exception {
        StubTokens dave = login("dave");
        stub.failNext(1, "TooManyRequestsException");

        HttpResponse<String> r = app.logout(dave.accessToken(), dave.refreshToken());

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).contains("\"status\":\"pending\"");
        assertRejectedAsRevoked(dave.accessToken());
        // Not "not revoked yet": the background retry may already have succeeded by now. That the
        // answer's attempt failed and a later one succeeded is read from the stub's calls below.

        assertThat(stub.awaitRevokeCalls(2, BACKGROUND_RETRY)).as("a background retry reached Cognito").isTrue();
        awaitRevokedAtStub(dave.refreshToken());
        List<RevokeCall> calls = stub.revokeCalls();
        assertThat(calls.get(0).errorType()).isEqualTo("TooManyRequestsException");
        assertThat(calls.get(1).succeeded()).isTrue();
        assertRejectedAsRevoked(dave.accessToken());
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(app.pendingRevocations()).as("pending revocations per the bean").isZero());
    }

    @Test
    void cognitoRefusingForTheClientSetup_answers502_andTheAccessTokenStaysRejected() {
        StubTokens erin = login("erin");
        stub.failNext(1, "UnsupportedOperationException");

        HttpResponse<String> r = app.logout(erin.accessToken(), erin.refreshToken());

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("\"error\":\"server_error\"");
        assertRejectedAsRevoked(erin.accessToken());
        assertThat(stub.isRevoked(erin.refreshToken())).isFalse();
        assertThat(stub.revokeCalls()).hasSize(1);
    }

    @Test
    void logoutWithAForgedAccessTokenClaimingARealUsersIds_gets401_andRevokesNothing() {
        StubTokens frank = login("frank");
        JWTClaimsSet claims = stub.jwt().accessClaims(CLIENT, "frank")
                .jwtID(frank.accessJti())
                .claim("origin_jti", frank.originJti())
                .build();
        String forged = stub.jwt().signWithUnknownKey(claims);

        HttpResponse<String> r = app.logout(forged, frank.refreshToken());

        assertInvalidTokenAtLogout(r);
        assertThat(stub.revokeCalls()).isEmpty();
        assertThat(stub.isRevoked(frank.refreshToken())).isFalse();
        assertAccepted(frank.accessToken());
        assertThat(app.isRevokedPerBean(frank.accessToken())).isFalse();
    }

    @Test
    void logoutWithATamperedAccessTokenPayload_gets401_andRevokesNothing() throws Exception {
        StubTokens grace = login("grace");
        String[] parts = grace.accessToken().split("\\.");
        JWTClaimsSet changed = new JWTClaimsSet.Builder(grace.accessClaims()).claim("username", "admin").build();
        String tampered = parts[0] + "." + Base64URL.encode(changed.toString()) + "." + parts[2];

        HttpResponse<String> r = app.logout(tampered, grace.refreshToken());

        assertInvalidTokenAtLogout(r);
        assertThat(stub.revokeCalls()).isEmpty();
        assertThat(stub.isRevoked(grace.refreshToken())).isFalse();
        assertAccepted(grace.accessToken());
    }

    @Test
    void clientSecretWrittenAsEnvPlaceholder_isResolvedInTheServer_andSentToCognito() throws IOException {
        StubTokens heidi = login("heidi");

        assertThat(app.logout(heidi.accessToken(), heidi.refreshToken()).statusCode()).isEqualTo(204);

        assertThat(deployedWebXml()).as("precondition: the deployed web.xml holds the placeholder, not the secret")
                .contains("${env:" + SECRET_ENV + "}").doesNotContain(secret());
        assertThat(stub.revokeCalls()).singleElement().satisfies(call -> {
            assertThat(call.succeeded()).isTrue();
            assertThat(call.clientSecret()).isEqualTo(secret());
            assertThat(call.authorizationHeaderPresent()).as("RevokeToken goes out unsigned").isFalse();
        });
        assertThat(stub.isRevoked(heidi.refreshToken())).isTrue();
    }

    /** The descriptor as it went to the server, read back from the archive. */
    private static String deployedWebXml() throws IOException {
        try (InputStream in = war.get("WEB-INF/web.xml").getAsset().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertInvalidTokenAtLogout(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                h -> assertThat(h).startsWith("Bearer error=\"invalid_token\""));
    }

    private static void awaitRevokedAtStub(String refreshToken) {
        // the stub records a call before it answers: give the revocation a moment to land
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(stub.isRevoked(refreshToken)).as("revoked at Cognito after the background retry").isTrue());
    }

    /**
     * Refresh-token rotation where it is hardest: each rotation renews {@code origin_jti} and a
     * revocation ends only the presented token's own tokens. The logout with the newest tokens still
     * rejects the first links' tokens (the sign-in, {@code sub} + {@code auth_time}) on this server.
     */
    @Test
    void rotation_renewedOriginJti_ownTokensRevoked_logoutRejectsEveryLinkOfTheSignIn() {
        stub.configureAppClient(CLIENT, c -> {
            c.rotation = true;
            c.gracePeriodSeconds = 5;
        });
        stub.setRotationBehaviour(CognitoStub.OriginJti.RENEWED, CognitoStub.ChainRevocation.OWN_TOKENS);
        try {
            StubTokens first = login("ruth");
            StubTokens second = stub.rotate(CLIENT, first.refreshToken());
            StubTokens third = stub.rotate(CLIENT, second.refreshToken());
            for (StubTokens t : List.of(second, third)) {
                RunSecrets.remember(t.accessToken());
                RunSecrets.remember(t.idToken());
                RunSecrets.remember(t.refreshToken());
            }
            assertAccepted(first.accessToken());
            // The sign-in's tokens come from earlier seconds than the logout, as they do outside a test.
            nextSecond();

            assertThat(app.logout(third.accessToken(), third.refreshToken()).statusCode()).isEqualTo(204);

            assertThat(stub.isRevoked(second.refreshToken())).as("own tokens only").isFalse();
            for (String token : List.of(first.accessToken(), first.idToken(), second.accessToken(), third.accessToken())) {
                assertRejectedAsRevoked(token);
            }
        } finally {
            stub.configureAppClient(CLIENT, c -> c.rotation = false);
            stub.setRotationBehaviour(CognitoStub.OriginJti.KEPT, CognitoStub.ChainRevocation.WHOLE_CHAIN);
        }
    }

    private static void nextSecond() {
        try {
            Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
