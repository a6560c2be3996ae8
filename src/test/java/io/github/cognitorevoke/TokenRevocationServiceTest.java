package io.github.cognitorevoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.CognitoStubException;
import io.github.cognitorevoke.testing.StubTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The public service as plain Java code uses it, without CDI. */
class TokenRevocationServiceTest {

    private static final String CLIENT = "webclient";
    private CognitoStub stub;
    private TokenRevocationService service;

    @BeforeEach
    void start() {
        stub = CognitoStub.start();
        stub.addClient(CLIENT, null, true);
        service = TokenRevocationService.create(RevocationSettings.builder(stub.region(), stub.userPoolId(), CLIENT)
                .endpoint(stub.endpoint().toString())
                .issuer(stub.issuer())
                .jwksUri(stub.jwksUri())
                .build());
    }

    @AfterEach
    void stop() {
        service.close();
        stub.close();
    }

    @Test
    void logout_thenIsRevoked() {
        StubTokens t = stub.login(CLIENT, "alice");
        assertThat(service.isRevoked(t.accessToken())).isFalse();

        assertThat(service.logout(t.accessToken(), t.refreshToken()).status()).isEqualTo(Status.COMPLETED);

        assertThat(service.isRevoked(t.accessToken())).isTrue();
        assertThat(service.isRevoked(t.idToken())).isTrue();
        assertThat(service.pendingRevocations()).isZero();
    }

    @Test
    void logout_withoutTokens_invalidRequest() {
        assertThatThrownBy(() -> service.logout(null, " ")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void logout_refreshTokenOver8KiB_invalidRequest_cognitoNotCalled() {
        assertThatThrownBy(() -> service.logout(null, "r".repeat(8 * 1024 + 1)))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(stub.revokeCallCount()).isZero();
    }

    @Test
    void logout_refreshTokenAlone_cognitoThrottling_pendingCounted() {
        StubTokens t = stub.login(CLIENT, "alice");
        stub.failNext(1, "TooManyRequestsException");

        assertThat(service.logout(null, t.refreshToken()).status()).isEqualTo(Status.PENDING);
        assertThat(service.logout(null, t.refreshToken()).status()).as("merged").isEqualTo(Status.PENDING);

        assertThat(service.pendingRevocations()).isEqualTo(1);
        assertThat(stub.revokeCallCount()).isEqualTo(1);
    }

    @Test
    void isRevoked_nullOrGarbage_false() {
        assertThat(service.isRevoked(null)).isFalse();
        assertThat(service.isRevoked("garbage")).isFalse();
    }

    @Test
    void isRevoked_textOfManyPartsOnlyNimbusReads_true_aFewOfThem_false() {
        // Arrays of name/value pairs: Nimbus reads them as claims; no issued token is one.
        String pairs = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("[[\"aud\",\"app\"]]".getBytes());
        StubTokens t = stub.login(CLIENT, "bob");

        assertThat(service.isRevoked(("x." + pairs + ".").repeat(4) + t.accessToken())).isFalse();

        assertThat(service.isRevoked(("x." + pairs + ".").repeat(5) + t.accessToken())).isTrue();
    }

    @Test
    void signOutEverywhere_rejectsEveryDevice_andRevokesAllRefreshTokensAtCognito() {
        StubTokens laptop = stub.login(CLIENT, "alice");
        StubTokens phone = stub.login(CLIENT, "alice");
        StubTokens bob = stub.login(CLIENT, "bob");

        assertThat(service.signOutEverywhere(phone.accessToken()).status()).isEqualTo(Status.COMPLETED);

        assertThat(service.isRevoked(laptop.accessToken())).isTrue();
        assertThat(service.isRevoked(laptop.idToken())).isTrue();
        assertThat(service.isRevoked(phone.accessToken())).isTrue();
        assertThat(service.isRevoked(bob.accessToken())).isFalse();
        assertThat(stub.globalSignOutCount()).isEqualTo(1);
        assertThatThrownBy(() -> stub.refresh(CLIENT, laptop.refreshToken()))
                .isInstanceOf(CognitoStubException.class);
    }

    @Test
    void signOutEverywhere_forgedToken_changesNothing() {
        StubTokens t = stub.login(CLIENT, "alice");
        String forged = stub.jwt().signWithUnknownKey(t.accessClaims());

        assertThatThrownBy(() -> service.signOutEverywhere(forged)).isInstanceOf(InvalidTokenException.class);

        assertThat(service.isRevoked(t.accessToken())).isFalse();
        assertThat(stub.globalSignOutCount()).isZero();
    }

    @Test
    void rejectTokensIssuedUntilNow_localCutOffOnly() {
        StubTokens t = stub.login(CLIENT, "alice");

        service.rejectTokensIssuedUntilNow(t.accessClaims().getSubject());

        assertThat(service.isRevoked(t.accessToken())).isTrue();
        assertThat(stub.globalSignOutCount()).isZero();
    }
}
