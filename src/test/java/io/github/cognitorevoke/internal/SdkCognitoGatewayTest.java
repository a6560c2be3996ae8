package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.LogoutResult.Refusal.Reason;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.CognitoGateway.Outcome;
import io.github.cognitorevoke.internal.CognitoGateway.Refused;
import io.github.cognitorevoke.internal.CognitoGateway.Retry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ForbiddenException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InternalErrorException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.OperationNotEnabledException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnauthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnsupportedOperationException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnsupportedTokenTypeException;

/** How SDK failures become outcomes, and what an operator reads about them. */
class SdkCognitoGatewayTest {

    private static final String ENDPOINT = "https://cognito-idp.eu-west-1.amazonaws.com";

    private static AwsServiceException service(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of((Supplier<RuntimeException>) () -> UnsupportedTokenTypeException.builder().build(), Reason.NOT_A_REFRESH_TOKEN),
                Arguments.of((Supplier<RuntimeException>) () -> InvalidParameterException.builder().build(), Reason.MALFORMED_TOKEN),
                Arguments.of((Supplier<RuntimeException>) () -> NotAuthorizedException.builder().build(), Reason.TOKEN_NOT_ACCEPTED),
                Arguments.of((Supplier<RuntimeException>) () -> UnauthorizedException.builder().build(), Reason.CLIENT_MISCONFIGURED),
                Arguments.of((Supplier<RuntimeException>) () -> UnsupportedOperationException.builder().build(), Reason.CLIENT_MISCONFIGURED),
                Arguments.of((Supplier<RuntimeException>) () -> OperationNotEnabledException.builder().build(), Reason.CLIENT_MISCONFIGURED),
                Arguments.of((Supplier<RuntimeException>) () -> ResourceNotFoundException.builder().build(), Reason.CLIENT_MISCONFIGURED),
                Arguments.of((Supplier<RuntimeException>) () -> service(400, "SomeFutureException"), Reason.CLIENT_MISCONFIGURED));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void classify_permanentFailure_typedReason(Supplier<RuntimeException> failure, Reason reason) {
        Outcome outcome = SdkCognitoGateway.classify(failure.get(), "webclient", ENDPOINT);
        assertThat(outcome).isInstanceOfSatisfying(Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.clientFault()).isEqualTo(reason != Reason.CLIENT_MISCONFIGURED);
            assertThat(r.operator() != null).as("operator hint exactly for setup faults").isEqualTo(!r.clientFault());
        });
    }

    static Stream<Arguments> transients() {
        return Stream.of(
                Arguments.of((Supplier<RuntimeException>) () -> TooManyRequestsException.builder().build(), "throttled"),
                Arguments.of((Supplier<RuntimeException>) () -> InternalErrorException.builder().build(), "failed internally"),
                Arguments.of((Supplier<RuntimeException>) () -> ForbiddenException.builder().build(), "WAF"),
                Arguments.of((Supplier<RuntimeException>) () -> service(503, "ServiceUnavailable"), "answered ServiceUnavailable (HTTP 503)"),
                Arguments.of((Supplier<RuntimeException>) () -> SdkClientException.builder().message("Unable to execute HTTP request")
                        .cause(new ConnectException("Connection refused")).build(),
                        "could not be reached: ConnectException: Connection refused"));
    }

    @ParameterizedTest
    @MethodSource("transients")
    void classify_transientFailure_retryNamingEndpointAndCause(Supplier<RuntimeException> failure, String cause) {
        Outcome outcome = SdkCognitoGateway.classify(failure.get(), "webclient", ENDPOINT);
        assertThat(outcome).isInstanceOfSatisfying(Retry.class, r ->
                assertThat(r.cause()).startsWith("Cognito at " + ENDPOINT).contains(cause));
    }

    @Test
    void revoke_endpointRefusesConnections_retryNamesEndpointAndRootCause_notTheToken() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RevocationSettings settings = RevocationSettings.builder("eu-west-1", "local_pool", "webclient")
                .endpoint("http://127.0.0.1:" + port).cognitoTimeout(Duration.ofSeconds(2)).build();
        try (SdkCognitoGateway gateway = new SdkCognitoGateway(settings)) {
            Outcome outcome = gateway.revoke("secret-refresh-token-value");
            assertThat(outcome).isInstanceOfSatisfying(Retry.class, r -> assertThat(r.cause())
                    .startsWith("Cognito at http://127.0.0.1:" + port + " could not be reached: ")
                    .contains("Connection refused")
                    .doesNotContain("secret-refresh-token-value"));
        }
    }

    @Test
    void classify_errorNameWithControlCharacters_oneShortWordInTheWarning() {
        String forged = "Some\nWARNING: forged line" + "x".repeat(200);
        Outcome outcome = SdkCognitoGateway.classify(service(400, forged), "webclient", ENDPOINT);
        assertThat(outcome).isInstanceOfSatisfying(Refused.class, r -> {
            assertThat(r.operator()).doesNotContain("\n").hasSizeLessThan(300);
            assertThat(r.cognitoError()).matches("[A-Za-z0-9_.#:-]{1,64}\\.\\.\\.");
            assertThat(r.warningKey()).isEqualTo("cognito:OTHER_REFUSAL");
        });
    }

    @Test
    void endpoint_withoutOverride_isTheRegionalOne() {
        RevocationSettings settings = RevocationSettings.builder("eu-west-1", "eu-west-1_AbC", "webclient").build();
        assertThat(SdkCognitoGateway.endpoint(settings)).isEqualTo(ENDPOINT);
    }
}
