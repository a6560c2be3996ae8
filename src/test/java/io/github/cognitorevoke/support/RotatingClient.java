package io.github.cognitorevoke.support;

import io.github.cognitorevoke.testing.CognitoStub;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/** An app client of the stub that rotates refresh tokens, and the AWS SDK client that refreshes through it. */
public final class RotatingClient {

    private RotatingClient() {
    }

    /**
     * Registers a public app client (no secret, revocation on) that rotates refresh tokens.
     *
     * @param stub            the stub
     * @param clientId        the app client's id
     * @param grace           {@code RetryGracePeriodSeconds}
     * @param refreshValidity how long a refresh token lives from the sign-in
     */
    public static void register(CognitoStub stub, String clientId, Duration grace, Duration refreshValidity) {
        stub.addClient(clientId, null, true);
        stub.configureAppClient(clientId, c -> {
            c.rotation = true;
            c.gracePeriodSeconds = (int) grace.toSeconds();
            c.refreshTokenValidity = refreshValidity;
        });
    }

    /**
     * @param stub the stub
     * @return an SDK client for its endpoint, without credentials (the refresh and revoke calls need none)
     */
    public static CognitoIdentityProviderClient sdk(CognitoStub stub) {
        return CognitoIdentityProviderClient.builder().region(Region.of(stub.region()))
                .endpointOverride(stub.endpoint()).credentialsProvider(AnonymousCredentialsProvider.create()).build();
    }
}
