package io.github.cognitorevoke.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.support.RotatingClient;
import io.github.cognitorevoke.support.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;

/** Refresh-token rotation in the stub, over the real AWS SDK, both ways where AWS does not say. */
class RotationStubTest {

    private static final String CLIENT = "rotating";
    private final TestClock clock = TestClock.atNow();
    private CognitoStub stub;
    private CognitoIdentityProviderClient sdk;

    @BeforeEach
    void start() {
        stub = CognitoStub.start(clock);
        RotatingClient.register(stub, CLIENT, Duration.ofSeconds(10), Duration.ofDays(1));
        sdk = RotatingClient.sdk(stub);
    }

    @AfterEach
    void stop() {
        sdk.close();
        stub.close();
    }

    private AuthenticationResultType refresh(String refreshToken) {
        return sdk.getTokensFromRefreshToken(r -> r.clientId(CLIENT).refreshToken(refreshToken)).authenticationResult();
    }

    @Test
    void getTokensFromRefreshToken_rotates_oldTokenUsableForTheGracePeriodOnly() {
        StubTokens login = stub.login(CLIENT, "alice");

        AuthenticationResultType first = refresh(login.refreshToken());
        assertThat(first.refreshToken()).isNotNull().isNotEqualTo(login.refreshToken());
        assertThat(first.accessToken()).isNotNull();

        clock.advance(Duration.ofSeconds(10));
        assertThat(refresh(login.refreshToken()).refreshToken()).as("within the grace period").isNotNull();

        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> refresh(login.refreshToken())).isInstanceOf(NotAuthorizedException.class);
        assertThat(refresh(first.refreshToken()).refreshToken()).as("the newest still works").isNotNull();
    }

    @Test
    void refreshTokenAuth_refusedForARotatingClient() {
        StubTokens login = stub.login(CLIENT, "alice");

        assertThatThrownBy(() -> sdk.initiateAuth(r -> r.clientId(CLIENT).authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                .authParameters(java.util.Map.of("REFRESH_TOKEN", login.refreshToken()))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("GetTokensFromRefreshToken");
    }

    @Test
    void rotation_doesNotExtendTheRefreshTokensLife() {
        StubTokens login = stub.login(CLIENT, "alice");
        clock.advance(Duration.ofHours(23));
        StubTokens late = stub.rotate(CLIENT, login.refreshToken());

        clock.advance(Duration.ofHours(1));

        assertThatThrownBy(() -> refresh(late.refreshToken())).isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("expired");
    }

    @ParameterizedTest
    @EnumSource(CognitoStub.OriginJti.class)
    void rotation_originJti_keptOrRenewedAsChosen(CognitoStub.OriginJti behaviour) {
        stub.setRotationBehaviour(behaviour, CognitoStub.ChainRevocation.WHOLE_CHAIN);
        StubTokens login = stub.login(CLIENT, "alice");

        StubTokens rotated = stub.rotate(CLIENT, login.refreshToken());

        assertThat(rotated.originJti().equals(login.originJti())).isEqualTo(behaviour == CognitoStub.OriginJti.KEPT);
        assertThat(rotated.accessClaims().getClaim("auth_time")).isEqualTo(login.accessClaims().getClaim("auth_time"));
    }

    @ParameterizedTest
    @EnumSource(CognitoStub.ChainRevocation.class)
    void revokeNewest_endsTheChainOrItsOwnTokensAsChosen(CognitoStub.ChainRevocation behaviour) {
        stub.setRotationBehaviour(CognitoStub.OriginJti.KEPT, behaviour);
        StubTokens login = stub.login(CLIENT, "alice");
        StubTokens rotated = stub.rotate(CLIENT, login.refreshToken());

        sdk.revokeToken(r -> r.clientId(CLIENT).token(rotated.refreshToken()));

        assertThat(stub.isRevoked(rotated.refreshToken())).isTrue();
        assertThat(stub.isRevoked(login.refreshToken()))
                .isEqualTo(behaviour == CognitoStub.ChainRevocation.WHOLE_CHAIN);
    }

    @ParameterizedTest
    @EnumSource(CognitoStub.StaleRevocation.class)
    void revokeOfATokenRotatedAwayPastItsGrace_acceptedOrRefusedAsChosen(CognitoStub.StaleRevocation answer) {
        stub.setRotationBehaviour(CognitoStub.OriginJti.KEPT, CognitoStub.ChainRevocation.OWN_TOKENS);
        stub.setStaleRevocation(answer);
        StubTokens login = stub.login(CLIENT, "alice");
        StubTokens rotated = stub.rotate(CLIENT, login.refreshToken());
        clock.advance(Duration.ofSeconds(10));
        sdk.revokeToken(r -> r.clientId(CLIENT).token(login.refreshToken())); // within the grace: accepted

        StubTokens again = stub.rotate(CLIENT, rotated.refreshToken());
        clock.advance(Duration.ofSeconds(11));

        if (answer == CognitoStub.StaleRevocation.REFUSED) {
            assertThatThrownBy(() -> sdk.revokeToken(r -> r.clientId(CLIENT).token(rotated.refreshToken())))
                    .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("Invalid Refresh Token");
            assertThat(stub.isRevoked(rotated.refreshToken())).isFalse();
        } else {
            sdk.revokeToken(r -> r.clientId(CLIENT).token(rotated.refreshToken()));
            assertThat(stub.isRevoked(rotated.refreshToken())).isTrue();
        }
        assertThat(stub.isRevoked(again.refreshToken())).as("own tokens only").isFalse();
    }
}
