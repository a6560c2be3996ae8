package io.github.cognitorevoke.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.cognitorevoke.InvalidTokenException;
import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.TokenRevocationService;
import io.github.cognitorevoke.internal.Bootstrap;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

class CognitoStubExtensionTest {

    @RegisterExtension
    static CognitoStubExtension cognito = CognitoStubExtension.withClient("myapp").user("bob", "bob-Passw0rd");

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The stubs the sample classes below saw, in the order their tests ran. */
    private static final Queue<CognitoStub> SEEN = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void forget() {
        SEEN.clear();
    }

    @Test
    void login_mintsTokensThatTheServiceBuiltFromItsSettingsVerifiesAndRevokes() {
        StubTokens tokens = cognito.login("alice");

        LogoutResult result;
        try (TokenRevocationService service = TokenRevocationService.create(cognito.settings().build())) {
            result = service.logout(tokens.accessToken(), tokens.refreshToken());
            assertThat(service.isRevoked(tokens.accessToken())).isTrue();
        }

        assertThat(result.status()).isEqualTo(LogoutResult.Status.COMPLETED);
        assertThat(result.accessTokenDenylisted()).isTrue();
        assertThat(cognito.stub().isRevoked(tokens.refreshToken())).isTrue();
        assertThat(cognito.stub().revokeCalls()).extracting(RevokeCall::clientId).contains("myapp");
    }

    @Test
    void settings_withTokenOfAnotherPool_refuseIt() {
        StubTokens foreign;
        try (CognitoStub other = CognitoStub.start()) {
            other.addClient("myapp", null, true);
            foreign = other.login("myapp", "mallory");
        }

        try (TokenRevocationService service = TokenRevocationService.create(cognito.settings().build())) {
            assertThatThrownBy(() -> service.logout(foreign.accessToken(), null))
                    .isInstanceOf(InvalidTokenException.class);
            assertThat(service.isRevoked(foreign.accessToken())).isFalse();
        }
    }

    @Test
    void initParameters_parseIntoTheSettingsOfTheBuilder() {
        Map<String, String> params = cognito.initParameters();

        assertThat(params).containsOnlyKeys(RevocationSettings.REGION, RevocationSettings.USER_POOL_ID,
                RevocationSettings.CLIENT_ID, RevocationSettings.ENDPOINT, RevocationSettings.ISSUER,
                RevocationSettings.JWKS_URI);
        assertThat(params).containsEntry(RevocationSettings.CLIENT_ID, "myapp")
                .containsEntry(RevocationSettings.ENDPOINT, cognito.stub().endpoint().toString())
                .containsEntry(RevocationSettings.JWKS_URI, cognito.stub().jwksUri());
        assertThat(Bootstrap.settings(params).toString()).isEqualTo(cognito.settings().build().toString());
    }

    @Test
    void clientSecret_isInTheSettingsThatRevokeTokenNeeds() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(WithSecret.class)).execute()
                .testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void user_canSignInWithItsPasswordOverTheWire() throws Exception {
        String body = "{\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"ClientId\":\"myapp\","
                + "\"AuthParameters\":{\"USERNAME\":\"bob\",\"PASSWORD\":\"bob-Passw0rd\"}}";
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(cognito.stub().endpoint())
                .header("Content-Type", CognitoStub.AMZ_JSON_1_1)
                .header("X-Amz-Target", CognitoStub.TARGET_PREFIX + "InitiateAuth")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"AccessToken\"");
    }

    @Test
    void parameters_resolveToTheRunningStubAndTheExtension(CognitoStub stub, CognitoStubExtension extension) {
        assertThat(stub).isSameAs(cognito.stub());
        assertThat(extension).isSameAs(cognito);
    }

    @Test
    void withClient_withIdTheSettingsWouldRefuse_failsAtOnce() {
        assertThatThrownBy(() -> CognitoStubExtension.withClient("my-app"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("my-app");
    }

    @Test
    void configuration_afterTheStart_fails() {
        assertThatThrownBy(() -> cognito.clientSecret("late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void staticField_oneStubForTheClass_stoppedAfterAll() throws Exception {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(PerClass.class)).execute()
                .testEvents().assertStatistics(s -> s.succeeded(2).failed(0));

        List<CognitoStub> seen = List.copyOf(SEEN);
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isSameAs(seen.get(1));
        assertStopped(seen.get(0));
    }

    @Test
    void instanceField_oneStubPerTest_eachStoppedAfterIt() throws Exception {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(PerTest.class)).execute()
                .testEvents().assertStatistics(s -> s.succeeded(2).failed(0));

        List<CognitoStub> seen = List.copyOf(SEEN);
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isNotSameAs(seen.get(1));
        assertStopped(seen.get(0));
        assertStopped(seen.get(1));
    }

    @Test
    void extendWith_defaultClientAndStubParameter_stoppedAfterAll() throws Exception {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(Annotated.class)).execute()
                .testEvents().assertStatistics(s -> s.succeeded(1).failed(0));

        assertThat(SEEN).hasSize(1);
        assertStopped(SEEN.peek());
    }

    /** The stub's port answers no more: connecting fails. */
    private static void assertStopped(CognitoStub stub) {
        assertThatThrownBy(() -> jwks(stub)).isInstanceOf(IOException.class);
    }

    private static int jwks(CognitoStub stub) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stub.jwksUri())).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    // ---------------------------------------------------------------- sample classes, run by EngineTestKit
    // Static nested classes: Surefire skips them (its default excludes **/*$*) and the tests jar leaves them out.

    static class PerClass {
        @RegisterExtension
        static CognitoStubExtension cognito = CognitoStubExtension.withClient("perclass");

        @Test
        void first(CognitoStub stub) throws Exception {
            assertThat(jwks(stub)).isEqualTo(200);
            SEEN.add(stub);
        }

        @Test
        void second(CognitoStub stub) throws Exception {
            assertThat(jwks(stub)).isEqualTo(200);
            SEEN.add(stub);
        }
    }

    static class PerTest {
        @RegisterExtension
        CognitoStubExtension cognito = CognitoStubExtension.withClient("pertest");

        @Test
        void first() throws Exception {
            assertThat(jwks(cognito.stub())).isEqualTo(200);
            SEEN.add(cognito.stub());
        }

        @Test
        void second() throws Exception {
            assertThat(jwks(cognito.stub())).isEqualTo(200);
            SEEN.add(cognito.stub());
        }
    }

    @ExtendWith(CognitoStubExtension.class)
    static class Annotated {
        @Test
        void defaultClient(CognitoStub stub, CognitoStubExtension extension) {
            assertThat(extension.clientId()).isEqualTo(CognitoStubExtension.DEFAULT_CLIENT_ID);
            assertThat(extension.login("carol").accessClaims().getClaim("client_id"))
                    .isEqualTo(CognitoStubExtension.DEFAULT_CLIENT_ID);
            SEEN.add(stub);
        }
    }

    static class WithSecret {
        @RegisterExtension
        static CognitoStubExtension cognito = CognitoStubExtension.withClient("confidential").clientSecret("s3cret");

        @Test
        void serviceSendsTheSecret() {
            StubTokens tokens = cognito.login("dave");
            assertThat(cognito.initParameters()).containsEntry(RevocationSettings.CLIENT_SECRET, "s3cret");
            try (TokenRevocationService service = TokenRevocationService.create(cognito.settings().build())) {
                assertThat(service.logout(tokens.accessToken(), tokens.refreshToken()).status())
                        .isEqualTo(LogoutResult.Status.COMPLETED);
            }
            assertThat(cognito.stub().isRevoked(tokens.refreshToken())).isTrue();
        }
    }
}
