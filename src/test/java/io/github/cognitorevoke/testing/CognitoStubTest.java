package io.github.cognitorevoke.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClientBuilder;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ForbiddenException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InternalErrorException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RevokeTokenRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnauthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnsupportedOperationException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnsupportedTokenTypeException;

/**
 * Pins the stub's behaviour through the real AWS SDK v2 client (anonymous credentials, URLConnection
 * HTTP client, no retries), so later tests of the library can rely on it.
 */
class CognitoStubTest {

    private static final String PUBLIC_CLIENT = "public-client";
    private static final String SECRET_CLIENT = "secret-client";
    private static final String SECRET = "s3cr3t-of-the-confidential-client";
    private static final String NO_REVOCATION_CLIENT = "legacy-client";

    private CognitoStub stub;
    private CognitoIdentityProviderClient cognito;

    @BeforeEach
    void startStub() {
        stub = CognitoStub.start();
        stub.addClient(PUBLIC_CLIENT, null, true);
        stub.addClient(SECRET_CLIENT, SECRET, true);
        stub.addClient(NO_REVOCATION_CLIENT, null, false);
        cognito = sdkClient(b -> { });
    }

    @AfterEach
    void stopStub() {
        if (cognito != null) {
            cognito.close();
        }
        stub.close();
    }

    private CognitoIdentityProviderClient sdkClient(Consumer<CognitoIdentityProviderClientBuilder> extra) {
        CognitoIdentityProviderClientBuilder builder = CognitoIdentityProviderClient.builder()
                .endpointOverride(stub.endpoint())
                .region(Region.of(stub.region()))
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
        extra.accept(builder);
        return builder.build();
    }

    private void revoke(String token, String clientId, String secret) {
        cognito.revokeToken(RevokeTokenRequest.builder().token(token).clientId(clientId).clientSecret(secret).build());
    }

    private AuthenticationResultType refreshViaSdk(String clientId, String refreshToken) {
        return cognito.initiateAuth(r -> r.authFlow(AuthFlowType.REFRESH_TOKEN_AUTH).clientId(clientId)
                .authParameters(Map.of("REFRESH_TOKEN", refreshToken))).authenticationResult();
    }

    // ------------------------------------------------------------ RevokeToken: success

    @Test
    void revokeToken_withValidRefreshToken_succeedsAndRevokesFamily() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");

        revoke(tokens.refreshToken(), PUBLIC_CLIENT, null);

        assertThat(stub.isRevoked(tokens.refreshToken())).isTrue();
        assertThat(stub.revokeCalls()).singleElement().satisfies(call -> {
            assertThat(call.httpStatus()).isEqualTo(200);
            assertThat(call.errorType()).isNull();
            assertThat(call.clientId()).isEqualTo(PUBLIC_CLIENT);
            assertThat(call.token()).isEqualTo(tokens.refreshToken());
            assertThat(call.clientSecretPresent()).isFalse();
        });
    }

    @Test
    void revokeToken_withAnonymousSdkClient_sendsNoAuthorizationHeader() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");

        revoke(tokens.refreshToken(), PUBLIC_CLIENT, null);

        assertThat(stub.revokeCalls()).singleElement()
                .satisfies(call -> assertThat(call.authorizationHeaderPresent()).isFalse());
    }

    @Test
    void revokeToken_withAuthorizationHeader_recordsItAndStillSucceeds() throws Exception {
        // the SDK never signs RevokeToken (its model marks the operation unauthenticated), so the
        // positive case of the header check needs a hand-made request
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");
        String body = "{\"Token\":\"" + tokens.refreshToken() + "\",\"ClientId\":\"" + PUBLIC_CLIENT + "\"}";
        HttpRequest signed = HttpRequest.newBuilder(stub.endpoint().resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", CognitoStub.AMZ_JSON_1_1)
                .header("X-Amz-Target", CognitoStub.TARGET_PREFIX + "RevokeToken")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20300101/eu-west-1/cognito-idp/aws4_request")
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(signed, HttpResponse.BodyHandlers.ofString());

        // recorded, never enforced: Cognito does not evaluate IAM for RevokeToken
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(stub.revokeCalls()).singleElement()
                .satisfies(call -> assertThat(call.authorizationHeaderPresent()).isTrue());
        assertThat(stub.isRevoked(tokens.refreshToken())).isTrue();
    }

    @Test
    void revokeToken_withRightSecret_succeedsAndRecordsSecret() {
        StubTokens tokens = stub.login(SECRET_CLIENT, "alice");

        revoke(tokens.refreshToken(), SECRET_CLIENT, SECRET);

        assertThat(stub.isRevoked(tokens.refreshToken())).isTrue();
        assertThat(stub.revokeCalls()).singleElement().satisfies(call -> {
            assertThat(call.clientSecretPresent()).isTrue();
            assertThat(call.clientSecret()).isEqualTo(SECRET);
        });
    }

    @Test
    void revokeToken_twice_succeedsBothTimes() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");

        revoke(tokens.refreshToken(), PUBLIC_CLIENT, null);
        revoke(tokens.refreshToken(), PUBLIC_CLIENT, null);

        assertThat(stub.revokeCalls()).extracting(RevokeCall::httpStatus).containsExactly(200, 200);
        assertThat(stub.isRevoked(tokens.refreshToken())).isTrue();
    }

    @Test
    void revokeToken_ofOneFamily_leavesOtherFamiliesOfSameUserValid() {
        StubTokens laptop = stub.login(PUBLIC_CLIENT, "alice");
        StubTokens phone = stub.login(PUBLIC_CLIENT, "alice");

        revoke(laptop.refreshToken(), PUBLIC_CLIENT, null);

        assertThat(stub.isRevoked(laptop.refreshToken())).isTrue();
        assertThat(stub.isRevoked(phone.refreshToken())).isFalse();
        assertThat(refreshViaSdk(PUBLIC_CLIENT, phone.refreshToken()).accessToken()).isNotBlank();
    }

    @Test
    void refreshTokenAuth_afterRevoke_throwsNotAuthorized() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");
        revoke(tokens.refreshToken(), PUBLIC_CLIENT, null);

        NotAuthorizedException e = catchThrowableOfType(NotAuthorizedException.class,
                () -> refreshViaSdk(PUBLIC_CLIENT, tokens.refreshToken()));

        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Refresh Token has been revoked");
        assertThatThrownBy(() -> stub.refresh(PUBLIC_CLIENT, tokens.refreshToken()))
                .isInstanceOfSatisfying(CognitoStubException.class,
                        ex -> assertThat(ex.errorType()).isEqualTo("NotAuthorizedException"));
    }

    // ------------------------------------------------------------ RevokeToken: errors by cause

    @Test
    void revokeToken_withWrongSecret_throwsUnauthorized() {
        StubTokens tokens = stub.login(SECRET_CLIENT, "alice");

        assertThatThrownBy(() -> revoke(tokens.refreshToken(), SECRET_CLIENT, "wrong-secret"))
                .isInstanceOf(UnauthorizedException.class);
        assertThat(stub.isRevoked(tokens.refreshToken())).isFalse();
        assertThat(stub.revokeCalls()).singleElement().satisfies(call -> {
            assertThat(call.httpStatus()).isEqualTo(400);
            assertThat(call.errorType()).isEqualTo("UnauthorizedException");
        });
    }

    @Test
    void revokeToken_withoutSecretForClientWithSecret_throwsUnauthorized() {
        StubTokens tokens = stub.login(SECRET_CLIENT, "alice");

        assertThatThrownBy(() -> revoke(tokens.refreshToken(), SECRET_CLIENT, null))
                .isInstanceOf(UnauthorizedException.class);
        assertThat(stub.isRevoked(tokens.refreshToken())).isFalse();
    }

    @Test
    void revokeToken_withSecretForClientWithoutSecret_throwsUnauthorized() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");

        assertThatThrownBy(() -> revoke(tokens.refreshToken(), PUBLIC_CLIENT, "unexpected"))
                .isInstanceOf(UnauthorizedException.class);
        assertThat(stub.isRevoked(tokens.refreshToken())).isFalse();
    }

    @Test
    void revokeToken_withTokenIssuedToOtherClient_throwsUnauthorizedAndRevokesNothing() {
        stub.addClient("other-client", null, true);
        StubTokens tokens = stub.login("other-client", "alice");

        assertThatThrownBy(() -> revoke(tokens.refreshToken(), PUBLIC_CLIENT, null))
                .isInstanceOf(UnauthorizedException.class);
        assertThat(stub.isRevoked(tokens.refreshToken())).isFalse();
    }

    @Test
    void revokeToken_withUnknownClient_throwsUnauthorizedByDefault() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");

        assertThatThrownBy(() -> revoke(tokens.refreshToken(), "no-such-client", null))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void revokeToken_withUnknownClientAndEmulatorMapping_throwsResourceNotFound() {
        stub.setUnknownClientError("ResourceNotFoundException");
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");

        assertThatThrownBy(() -> revoke(tokens.refreshToken(), "no-such-client", null))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void revokeToken_onClientWithRevocationDisabled_throwsUnsupportedOperation() {
        StubTokens tokens = stub.login(NO_REVOCATION_CLIENT, "alice");

        assertThatThrownBy(() -> revoke(tokens.refreshToken(), NO_REVOCATION_CLIENT, null))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(stub.isRevoked(tokens.refreshToken())).isFalse();
    }

    @Test
    void revokeToken_withAccessToken_throwsUnsupportedTokenType() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");

        assertThatThrownBy(() -> revoke(tokens.accessToken(), PUBLIC_CLIENT, null))
                .isInstanceOf(UnsupportedTokenTypeException.class);
        assertThatThrownBy(() -> revoke(tokens.idToken(), PUBLIC_CLIENT, null))
                .isInstanceOf(UnsupportedTokenTypeException.class);
        assertThat(stub.isRevoked(tokens.refreshToken())).isFalse();
    }

    @Test
    void revokeToken_withGarbageToken_throwsInvalidParameter() {
        assertThatThrownBy(() -> revoke("not-a-token", PUBLIC_CLIENT, null))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> revoke("a.b.c.d.e", PUBLIC_CLIENT, null))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void revokeToken_withRefreshShapedTokenNeverIssued_throwsInvalidParameter() {
        String issued = stub.login(PUBLIC_CLIENT, "alice").refreshToken();
        String[] parts = issued.split("\\.");
        parts[3] = Base64URL.encode("some other ciphertext").toString();
        String unknown = String.join(".", parts);

        assertThatThrownBy(() -> revoke(unknown, PUBLIC_CLIENT, null))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void revokeToken_withoutTokenOrClientId_throwsInvalidParameter() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");

        assertThatThrownBy(() -> cognito.revokeToken(r -> r.clientId(PUBLIC_CLIENT)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> cognito.revokeToken(r -> r.token(tokens.refreshToken())))
                .isInstanceOf(InvalidParameterException.class);
    }

    // ------------------------------------------------------------ injected failures

    static Stream<Arguments> revokeTokenErrors() {
        return Stream.of(
                Arguments.of("TooManyRequestsException", TooManyRequestsException.class, 400),
                Arguments.of("InternalErrorException", InternalErrorException.class, 500),
                Arguments.of("ForbiddenException", ForbiddenException.class, 403),
                Arguments.of("UnauthorizedException", UnauthorizedException.class, 400),
                Arguments.of("InvalidParameterException", InvalidParameterException.class, 400),
                Arguments.of("UnsupportedOperationException", UnsupportedOperationException.class, 400),
                Arguments.of("UnsupportedTokenTypeException", UnsupportedTokenTypeException.class, 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("revokeTokenErrors")
    void revokeToken_withInjectedError_throwsMatchingSdkExceptionAndRevokesNothing(
            String errorName, Class<? extends CognitoIdentityProviderException> sdkType, int status) {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");
        stub.failNext(1, errorName);

        CognitoIdentityProviderException e = catchThrowableOfType(CognitoIdentityProviderException.class,
                () -> revoke(tokens.refreshToken(), PUBLIC_CLIENT, null));

        assertThat(e).isExactlyInstanceOf(sdkType);
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(errorName);
        assertThat(stub.isRevoked(tokens.refreshToken())).isFalse();
        assertThat(stub.revokeCalls()).singleElement().satisfies(call -> {
            assertThat(call.httpStatus()).isEqualTo(status);
            assertThat(call.errorType()).isEqualTo(errorName);
        });

        revoke(tokens.refreshToken(), PUBLIC_CLIENT, null); // the injection was used up
        assertThat(stub.isRevoked(tokens.refreshToken())).isTrue();
    }

    @Test
    void revokeToken_withInjectedUnknownErrorName_throwsServiceBaseException() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");
        stub.failNext(1, "SomethingNewException", 503);

        CognitoIdentityProviderException e = catchThrowableOfType(CognitoIdentityProviderException.class,
                () -> revoke(tokens.refreshToken(), PUBLIC_CLIENT, null));

        assertThat(e).isExactlyInstanceOf(CognitoIdentityProviderException.class);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SomethingNewException");
        assertThat(e.statusCode()).isEqualTo(503);
    }

    @Test
    void error_namedInHeaderAndBody_asAwsJsonAnswers() throws Exception {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");
        stub.failNext(1, "ForbiddenException");
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(stub.endpoint())
                        .header("X-Amz-Target", CognitoStub.TARGET_PREFIX + "RevokeToken")
                        .header("Content-Type", CognitoStub.AMZ_JSON_1_1)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"Token\":\"" + tokens.refreshToken()
                                + "\",\"ClientId\":\"" + PUBLIC_CLIENT + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("ForbiddenException:");
        assertThat(r.body()).contains("\"__type\":\"ForbiddenException\"").doesNotContain(tokens.refreshToken());
    }

    @Test
    void otherOperation_withInjectedError_answersItOnce_revokeTokenUntouched() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");
        stub.failNext("GlobalSignOut", 1, "TooManyRequestsException");

        assertThatThrownBy(() -> cognito.globalSignOut(r -> r.accessToken(tokens.accessToken())))
                .isInstanceOf(TooManyRequestsException.class);
        revoke(tokens.refreshToken(), PUBLIC_CLIENT, null);
        assertThat(stub.isRevoked(tokens.refreshToken())).as("RevokeToken has its own queue").isTrue();
        StubTokens other = stub.login(PUBLIC_CLIENT, "bob");
        cognito.globalSignOut(r -> r.accessToken(other.accessToken())); // used up
        assertThat(stub.globalSignOutCount()).isEqualTo(1);
    }

    @Test
    void revokeToken_withInjectedFaults_consumesThemInOrderThenSucceeds() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");
        stub.failNext(2, "TooManyRequestsException");
        stub.resetConnectionNext(1);
        stub.failNext(1, "InternalErrorException");

        assertThatThrownBy(() -> revoke(tokens.refreshToken(), PUBLIC_CLIENT, null)).isInstanceOf(TooManyRequestsException.class);
        assertThatThrownBy(() -> revoke(tokens.refreshToken(), PUBLIC_CLIENT, null)).isInstanceOf(TooManyRequestsException.class);
        assertThatThrownBy(() -> revoke(tokens.refreshToken(), PUBLIC_CLIENT, null)).isInstanceOf(SdkClientException.class);
        assertThatThrownBy(() -> revoke(tokens.refreshToken(), PUBLIC_CLIENT, null)).isInstanceOf(InternalErrorException.class);
        assertThat(stub.isRevoked(tokens.refreshToken())).isFalse();
        revoke(tokens.refreshToken(), PUBLIC_CLIENT, null);

        assertThat(stub.revokeCalls()).extracting(RevokeCall::httpStatus).containsExactly(400, 400, 0, 500, 200);
        assertThat(stub.isRevoked(tokens.refreshToken())).isTrue();
    }

    @Test
    void revokeToken_withInjectedFailure_doesNotAffectInitiateAuth() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");
        stub.failNext(1, "InternalErrorException");

        assertThat(refreshViaSdk(PUBLIC_CLIENT, tokens.refreshToken()).accessToken()).isNotBlank();
        assertThatThrownBy(() -> revoke(tokens.refreshToken(), PUBLIC_CLIENT, null))
                .isInstanceOf(InternalErrorException.class);
    }

    @Test
    void revokeToken_withConnectionReset_throwsSdkClientExceptionAndRevokesNothing() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");
        stub.resetConnectionNext(1);

        Throwable e = catchThrowableOfType(SdkClientException.class,
                () -> revoke(tokens.refreshToken(), PUBLIC_CLIENT, null));

        assertThat(e).isNotInstanceOf(SdkServiceException.class);
        assertThat(stub.isRevoked(tokens.refreshToken())).isFalse();
        // one request only: the JDK's HttpURLConnection did not silently resend the POST
        assertThat(stub.revokeCalls()).singleElement().satisfies(call -> assertThat(call.connectionReset()).isTrue());

        revoke(tokens.refreshToken(), PUBLIC_CLIENT, null);
        assertThat(stub.isRevoked(tokens.refreshToken())).isTrue();
    }

    @Test
    void revokeToken_withDelay_answersAfterDelay() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");
        stub.delayNext(1, Duration.ofMillis(300));

        long start = System.nanoTime();
        revoke(tokens.refreshToken(), PUBLIC_CLIENT, null);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(stub.isRevoked(tokens.refreshToken())).isTrue();
    }

    @Test
    void revokeToken_withDelayPastAttemptTimeout_throwsApiCallAttemptTimeout() throws InterruptedException {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");
        stub.delayNext(1, Duration.ofMillis(800));
        try (CognitoIdentityProviderClient impatient = sdkClient(b -> b.overrideConfiguration(c -> c
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallAttemptTimeout(Duration.ofMillis(150))))) {

            assertThatThrownBy(() -> impatient.revokeToken(r -> r.token(tokens.refreshToken()).clientId(PUBLIC_CLIENT)))
                    .isInstanceOf(ApiCallAttemptTimeoutException.class);
        }

        // a slow server still does the work: the late call is processed and recorded
        assertThat(stub.awaitRevokeCalls(1, Duration.ofSeconds(5))).isTrue();
        assertThat(stub.isRevoked(tokens.refreshToken())).isTrue();
    }

    @Test
    void revokeToken_fromManyThreads_recordsEveryCall() throws Exception {
        int threads = 4;
        int callsPerThread = 15;
        List<String> refreshTokens = new ArrayList<>();
        for (int i = 0; i < threads * callsPerThread; i++) {
            refreshTokens.add(stub.login(PUBLIC_CLIENT, "user" + i).refreshToken());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<String> mine = refreshTokens.subList(t * callsPerThread, (t + 1) * callsPerThread);
                futures.add(pool.submit((Callable<Void>) () -> {
                    mine.forEach(token -> revoke(token, PUBLIC_CLIENT, null));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(stub.revokeCallCount()).isEqualTo(threads * callsPerThread);
        assertThat(refreshTokens).allSatisfy(token -> assertThat(stub.isRevoked(token)).isTrue());
    }

    // ------------------------------------------------------------ InitiateAuth

    @Test
    void userPasswordAuth_withRightPassword_returnsAllThreeTokens() {
        stub.addUser("bob", "correct horse");

        AuthenticationResultType result = cognito.initiateAuth(r -> r.authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .clientId(PUBLIC_CLIENT).authParameters(Map.of("USERNAME", "bob", "PASSWORD", "correct horse")))
                .authenticationResult();

        assertThat(result.accessToken()).isNotBlank();
        assertThat(result.idToken()).isNotBlank();
        assertThat(result.refreshToken()).isNotBlank();
        assertThat(result.tokenType()).isEqualTo("Bearer");
        assertThat(result.expiresIn()).isEqualTo(3600);
        assertThat(stub.isRevoked(result.refreshToken())).isFalse();
    }

    @Test
    void userPasswordAuth_withWrongPassword_throwsNotAuthorized() {
        stub.addUser("bob", "correct horse");

        assertThatThrownBy(() -> cognito.initiateAuth(r -> r.authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .clientId(PUBLIC_CLIENT).authParameters(Map.of("USERNAME", "bob", "PASSWORD", "battery staple"))))
                .isInstanceOf(NotAuthorizedException.class);
    }

    @Test
    void userPasswordAuth_onClientWithSecret_checksSecretHash() {
        stub.addUser("bob", "correct horse");
        Map<String, String> withoutHash = Map.of("USERNAME", "bob", "PASSWORD", "correct horse");
        Map<String, String> withHash = Map.of("USERNAME", "bob", "PASSWORD", "correct horse",
                "SECRET_HASH", CognitoStub.secretHash(SECRET, "bob", SECRET_CLIENT));

        assertThatThrownBy(() -> cognito.initiateAuth(r -> r.authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .clientId(SECRET_CLIENT).authParameters(withoutHash)))
                .isInstanceOf(NotAuthorizedException.class);
        assertThat(cognito.initiateAuth(r -> r.authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .clientId(SECRET_CLIENT).authParameters(withHash)).authenticationResult().refreshToken()).isNotBlank();
    }

    @Test
    void refreshTokenAuth_returnsNoNewRefreshToken() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");

        AuthenticationResultType result = refreshViaSdk(PUBLIC_CLIENT, tokens.refreshToken());

        assertThat(result.refreshToken()).isNull();
        assertThat(result.accessToken()).isNotEqualTo(tokens.accessToken());
    }

    @Test
    void refreshTokenAuth_withTokenOfOtherClient_throwsNotAuthorized() {
        StubTokens tokens = stub.login(SECRET_CLIENT, "alice");

        assertThatThrownBy(() -> refreshViaSdk(PUBLIC_CLIENT, tokens.refreshToken()))
                .isInstanceOf(NotAuthorizedException.class);
    }

    @Test
    void initiateAuth_withUnknownClient_throwsResourceNotFound() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");

        assertThatThrownBy(() -> refreshViaSdk("no-such-client", tokens.refreshToken()))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    // ------------------------------------------------------------ token families and claims

    @Test
    void siblingsOfOneRefreshToken_shareOriginJtiAndHaveOwnJti() throws ParseException {
        StubTokens login = stub.login(PUBLIC_CLIENT, "alice");
        String refreshedViaSdk = refreshViaSdk(PUBLIC_CLIENT, login.refreshToken()).accessToken();
        StubTokens refreshedViaJava = stub.refresh(PUBLIC_CLIENT, login.refreshToken());

        JWTClaimsSet first = login.accessClaims();
        JWTClaimsSet second = SignedJWT.parse(refreshedViaSdk).getJWTClaimsSet();
        JWTClaimsSet third = refreshedViaJava.accessClaims();

        assertThat(login.originJti()).isNotNull();
        assertThat(List.of(first, second, third, login.idClaims(), refreshedViaJava.idClaims()))
                .allSatisfy(c -> assertThat(c.getStringClaim("origin_jti")).isEqualTo(login.originJti()));
        Set<String> jtis = new HashSet<>(List.of(first.getJWTID(), second.getJWTID(), third.getJWTID(),
                login.idClaims().getJWTID()));
        assertThat(jtis).hasSize(4).doesNotContainNull();
        assertThat(refreshedViaJava.refreshToken()).isEqualTo(login.refreshToken());
    }

    @Test
    void separateLogins_haveDifferentOriginJtiAndSameSub() {
        StubTokens first = stub.login(PUBLIC_CLIENT, "alice");
        StubTokens second = stub.login(PUBLIC_CLIENT, "alice");

        assertThat(first.originJti()).isNotEqualTo(second.originJti());
        assertThat(first.accessClaims().getSubject()).isEqualTo(second.accessClaims().getSubject());
        assertThat(stub.login(PUBLIC_CLIENT, "bob").accessClaims().getSubject())
                .isNotEqualTo(first.accessClaims().getSubject());
    }

    @Test
    void accessToken_hasCognitoClaimsAndNoAudience() throws ParseException {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");
        SignedJWT jwt = SignedJWT.parse(tokens.accessToken());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(stub.currentKid());
        assertThat(claims.getIssuer()).isEqualTo(stub.issuer());
        assertThat(claims.getStringClaim("token_use")).isEqualTo("access");
        assertThat(claims.getStringClaim("client_id")).isEqualTo(PUBLIC_CLIENT);
        assertThat(claims.getStringClaim("username")).isEqualTo("alice");
        assertThat(claims.getStringClaim("scope")).isEqualTo(CognitoStub.ACCESS_TOKEN_SCOPE);
        assertThat(claims.getSubject()).matches("[0-9a-f-]{36}");
        assertThat(claims.getJWTID()).isNotNull();
        assertThat(claims.getLongClaim("auth_time")).isNotNull();
        assertThat(claims.getAudience()).isEmpty();
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(3_600_000L);
    }

    @Test
    void idToken_hasAudienceAndCognitoUsername() {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");
        JWTClaimsSet claims = tokens.idClaims();

        assertThat(claims.getAudience()).containsExactly(PUBLIC_CLIENT);
        assertThat(claims.getClaim("token_use")).isEqualTo("id");
        assertThat(claims.getClaim("cognito:username")).isEqualTo("alice");
        assertThat(claims.getSubject()).isEqualTo(tokens.accessClaims().getSubject());
        assertThat(claims.getJWTID()).isNotEqualTo(tokens.accessJti());
    }

    @Test
    void tokens_onClientWithRevocationDisabled_carryNoJtiNorOriginJti() {
        StubTokens tokens = stub.login(NO_REVOCATION_CLIENT, "alice");
        StubTokens revocable = stub.login(PUBLIC_CLIENT, "alice");

        assertThat(revocable.originJti()).isNotNull();
        assertThat(revocable.accessClaims().getJWTID()).isNotNull();
        assertThat(tokens.originJti()).isNull();
        assertThat(tokens.accessClaims().getJWTID()).isNull();
        assertThat(tokens.accessClaims().getClaim("origin_jti")).isNull();
        assertThat(tokens.idClaims().getJWTID()).isNull();
        assertThat(tokens.idClaims().getClaim("origin_jti")).isNull();
    }

    @Test
    void refreshToken_isFivePartOpaqueStringAndNeverAJws() {
        String refreshToken = stub.login(PUBLIC_CLIENT, "alice").refreshToken();

        assertThat(refreshToken.split("\\.", -1)).hasSize(5).allSatisfy(part -> assertThat(part).isNotEmpty());
        assertThatThrownBy(() -> JWSObject.parse(refreshToken)).isInstanceOf(ParseException.class);
        assertThat(refreshToken.length()).isGreaterThan(1000);
        assertThat(stub.login(PUBLIC_CLIENT, "alice").refreshToken()).isNotEqualTo(refreshToken);
    }

    @Test
    void tokens_withClock_takeTimesFromIt() {
        Instant now = Instant.parse("2030-01-02T03:04:05Z");
        try (CognitoStub timed = CognitoStub.start(Clock.fixed(now, ZoneOffset.UTC))) {
            timed.addClient("c", null, true);
            timed.setAccessTokenValidity(Duration.ofMinutes(10));

            JWTClaimsSet claims = timed.login("c", "alice").accessClaims();

            assertThat(claims.getIssueTime()).isEqualTo(Date.from(now));
            assertThat(claims.getExpirationTime()).isEqualTo(Date.from(now.plus(Duration.ofMinutes(10))));
            assertThat(claims.getLongClaim("auth_time")).isEqualTo(now.getEpochSecond());
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void setAccessTokenValidity_outsideCognitoRange_isRejected() {
        assertThatThrownBy(() -> stub.setAccessTokenValidity(Duration.ofMinutes(4)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stub.setAccessTokenValidity(Duration.ofHours(25)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builder_withPoolId_derivesRegionAndIssuer() {
        try (CognitoStub custom = CognitoStub.builder().userPoolId("ap-southeast-2_AbCdEfGhI").start()) {
            assertThat(custom.region()).isEqualTo("ap-southeast-2");
            assertThat(custom.issuer()).isEqualTo(custom.endpoint() + "/ap-southeast-2_AbCdEfGhI");
            assertThat(custom.jwksUri()).isEqualTo(custom.issuer() + "/.well-known/jwks.json");
        }
        assertThat(stub.userPoolId()).matches("eu-west-1_Stub[A-Za-z0-9]{5}");
        assertThat(stub.endpoint().toString()).matches("http://127\\.0\\.0\\.1:\\d+");
    }

    // ------------------------------------------------------------ JWKS and verification

    private static JWKSet fetchJwks(String uri) throws IOException, InterruptedException, ParseException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(uri)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return JWKSet.parse(response.body());
    }

    private JWTClaimsSet verify(String token, JWKSet jwks, String tokenUse) throws BadJOSEException, com.nimbusds.jose.JOSEException, ParseException {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(jwks)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(stub.issuer()).claim("token_use", tokenUse).build(),
                Set.of("sub", "iat", "exp", "jti", "origin_jti")));
        return processor.process(token, null);
    }

    @Test
    void tokens_verifyAgainstServedJwks() throws Exception {
        StubTokens tokens = stub.login(PUBLIC_CLIENT, "alice");

        JWKSet jwks = fetchJwks(stub.jwksUri());

        assertThat(jwks.getKeys()).singleElement().satisfies(key -> {
            assertThat(key.getKeyID()).isEqualTo(stub.currentKid());
            assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
            assertThat(key.isPrivate()).isFalse();
        });
        assertThat(verify(tokens.accessToken(), jwks, "access").getStringClaim("origin_jti")).isEqualTo(tokens.originJti());
        assertThat(verify(tokens.idToken(), jwks, "id").getAudience()).containsExactly(PUBLIC_CLIENT);
        assertThat(stub.jwksFetchCount()).isEqualTo(1);
    }

    @Test
    void rotateKey_signsNewTokensWithNewKidAndPublishesBoth() throws Exception {
        StubTokens before = stub.login(PUBLIC_CLIENT, "alice");
        String oldKid = stub.currentKid();
        JWKSet cached = fetchJwks(stub.jwksUri());

        String newKid = stub.rotateKey();
        StubTokens after = stub.login(PUBLIC_CLIENT, "alice");

        assertThat(newKid).isNotEqualTo(oldKid).isEqualTo(stub.currentKid());
        assertThat(SignedJWT.parse(after.accessToken()).getHeader().getKeyID()).isEqualTo(newKid);
        assertThatThrownBy(() -> verify(after.accessToken(), cached, "access")).isInstanceOf(BadJOSEException.class);
        JWKSet refetched = fetchJwks(stub.jwksUri());
        assertThat(refetched.getKeys()).extracting(JWK::getKeyID).containsExactly(oldKid, newKid);
        verify(after.accessToken(), refetched, "access");
        verify(before.accessToken(), refetched, "access");
        assertThat(stub.jwksFetchCount()).isEqualTo(2);

        stub.retireKey(oldKid);
        JWKSet withoutOld = fetchJwks(stub.jwksUri());
        assertThatThrownBy(() -> verify(before.accessToken(), withoutOld, "access")).isInstanceOf(BadJOSEException.class);
    }

    @Test
    void jwks_withInjectedFailure_answers500AndCountsFetch() throws Exception {
        stub.failJwksNext(1);

        HttpResponse<String> failed = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stub.jwksUri())).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(fetchJwks(stub.jwksUri()).getKeys()).hasSize(1);
        assertThat(stub.jwksFetchCount()).isEqualTo(2);
    }

    // ------------------------------------------------------------ JwtFactory

    @Test
    void jwtFactory_sign_verifiesWithAlteredClaims() throws Exception {
        JWKSet jwks = fetchJwks(stub.jwksUri());
        JWTClaimsSet foreignClient = stub.jwt().accessClaims(PUBLIC_CLIENT, "alice").claim("client_id", "other").build();

        JWTClaimsSet verified = verify(stub.jwt().sign(foreignClient), jwks, "access");

        assertThat(verified.getStringClaim("client_id")).isEqualTo("other");
        assertThat(verified.getSubject()).isEqualTo(stub.login(PUBLIC_CLIENT, "alice").accessClaims().getSubject());
    }

    @Test
    void jwtFactory_expiredToken_isRejectedByVerifier() throws Exception {
        JWKSet jwks = fetchJwks(stub.jwksUri());
        Instant past = Instant.now().minus(Duration.ofHours(2));
        String expired = stub.jwt().sign(stub.jwt().accessClaims(PUBLIC_CLIENT, "alice")
                .issueTime(Date.from(past)).expirationTime(Date.from(past.plus(Duration.ofHours(1)))).build());

        assertThatThrownBy(() -> verify(expired, jwks, "access")).isInstanceOf(BadJOSEException.class)
                .hasMessageContaining("Expired");
    }

    @Test
    void jwtFactory_forgedAndForeignTokens_failSignatureCheck() throws Exception {
        JWKSet jwks = fetchJwks(stub.jwksUri());
        JWTClaimsSet claims = stub.jwt().accessClaims(PUBLIC_CLIENT, "alice").build();

        String forged = stub.jwt().signWithForeignKeyUnderStubKid(claims);
        String foreign = stub.jwt().signWithUnknownKey(claims);

        assertThat(SignedJWT.parse(forged).getHeader().getKeyID()).isEqualTo(stub.currentKid());
        assertThat(SignedJWT.parse(foreign).getHeader().getKeyID()).isNotEqualTo(stub.currentKid());
        assertThatThrownBy(() -> verify(forged, jwks, "access")).isInstanceOf(BadJOSEException.class);
        assertThatThrownBy(() -> verify(foreign, jwks, "access")).isInstanceOf(BadJOSEException.class);
        assertThat(SignedJWT.parse(stub.jwt().signWithoutKid(claims)).getHeader().getKeyID()).isNull();
    }

    @Test
    void jwtFactory_unsignedToken_hasAlgNoneAndEmptySignature() throws Exception {
        JWKSet jwks = fetchJwks(stub.jwksUri());
        String none = stub.jwt().unsigned(stub.jwt().accessClaims(PUBLIC_CLIENT, "alice").build());

        assertThat(none).endsWith(".");
        Map<String, Object> header = JSONObjectUtils.parse(new Base64URL(none.split("\\.")[0]).decodeToString());
        assertThat(header).containsEntry("alg", "none").containsEntry("kid", stub.currentKid());
        assertThatThrownBy(() -> verify(none, jwks, "access")).isInstanceOf(BadJOSEException.class);
    }

    @Test
    void jwtFactory_hs256WithPublicKey_isTheKeyConfusionTokenAndIsRejected() throws Exception {
        JWKSet jwks = fetchJwks(stub.jwksUri());
        JWTClaimsSet claims = stub.jwt().accessClaims(PUBLIC_CLIENT, "alice").build();
        String confused = stub.jwt().hs256WithPublicKey(claims);
        String confusedPem = stub.jwt().hs256WithPublicKeyPem(claims);

        // it really is HMAC'd with the public key bytes: a naive verifier would accept it
        assertThat(SignedJWT.parse(confused).verify(new MACVerifier(stub.jwt().publicKeyDer()))).isTrue();
        assertThat(SignedJWT.parse(confusedPem).verify(new MACVerifier(stub.jwt().publicKeyPem()))).isTrue();
        assertThat(SignedJWT.parse(confused).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThatThrownBy(() -> verify(confused, jwks, "access")).isInstanceOf(BadJOSEException.class);
    }

    // ------------------------------------------------------------ protocol edges (raw HTTP)

    private HttpResponse<String> post(String target, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(stub.endpoint().resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType);
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unknownOperation_answers400UnknownOperation() throws Exception {
        HttpResponse<String> response = post(CognitoStub.TARGET_PREFIX + "GetUser", CognitoStub.AMZ_JSON_1_1,
                "{\"AccessToken\":\"x\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSONObjectUtils.parse(response.body())).containsEntry("__type", "UnknownOperationException")
                .containsKey("message");
        assertThat(response.headers().firstValue("Content-Type")).hasValue(CognitoStub.AMZ_JSON_1_1);
    }

    @Test
    void unknownOperation_throughSdk_throwsServiceExceptionWithErrorCode() {
        CognitoIdentityProviderException e = catchThrowableOfType(CognitoIdentityProviderException.class,
                () -> cognito.getUser(r -> r.accessToken("x")));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
    }

    @Test
    void revokeToken_withWrongContentTypeOrBody_isRejectedAndRecorded() throws Exception {
        String target = CognitoStub.TARGET_PREFIX + "RevokeToken";

        assertThat(post(target, "application/json", "{}").statusCode()).isEqualTo(400);
        HttpResponse<String> notJson = post(target, CognitoStub.AMZ_JSON_1_1, "not json");

        assertThat(JSONObjectUtils.parse(notJson.body())).containsEntry("__type", "SerializationException");
        assertThat(stub.revokeCallCount()).isEqualTo(2);
    }

    @Test
    void otherPaths_answer404() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(stub.endpoint().resolve("/other/.well-known/jwks.json")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(stub.jwksFetchCount()).isZero();
    }

    // ------------------------------------------------------------ lifecycle and hygiene

    @Test
    void close_stopsServer() throws Exception {
        CognitoStub other = CognitoStub.start();
        URI endpoint = other.endpoint();
        HttpRequest jwks = HttpRequest.newBuilder(URI.create(other.jwksUri())).GET().build();
        assertThat(HttpClient.newHttpClient().send(jwks, HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("serving before close").isEqualTo(200);
        other.close();
        other.close(); // idempotent

        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/")).GET().build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void toStrings_neverShowTokensOrSecrets() {
        StubTokens tokens = stub.login(SECRET_CLIENT, "alice");
        revoke(tokens.refreshToken(), SECRET_CLIENT, SECRET);

        assertThat(tokens.toString()).contains(tokens.originJti())
                .doesNotContain(tokens.accessToken(), tokens.idToken(), tokens.refreshToken());
        assertThat(stub.revokeCalls().get(0).toString()).contains(SECRET_CLIENT, "clientSecret=present")
                .doesNotContain(tokens.refreshToken(), SECRET);
    }

    @Test
    void isRevoked_ofTokenNeverIssued_isATestMistake() {
        assertThatThrownBy(() -> stub.isRevoked("whatever")).isInstanceOf(IllegalArgumentException.class);
    }
}
