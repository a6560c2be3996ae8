package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationSettings;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClientBuilder;
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

/**
 * Calls Cognito through the AWS SDK for Java v2 and turns every answer into an {@link Outcome}.
 *
 * <p>The client needs no AWS credentials: RevokeToken and GlobalSignOut are not IAM-authorized, so
 * it signs nothing ({@link AnonymousCredentialsProvider}). It uses the JDK's URLConnection HTTP
 * client and does not retry by itself: a failed call is retried by the library in the background,
 * so a logout never waits through the SDK's backoff.
 */
public final class CognitoGateway implements AutoCloseable {

    private final CognitoIdentityProviderClient client;
    private final RevocationSettings settings;

    /** What a call to Cognito came to. */
    public sealed interface Outcome {
    }

    /** Cognito did it. */
    public record Done() implements Outcome {
    }

    /**
     * Cognito could not be reached or asked to slow down: try again later.
     *
     * @param cause    a short cause for the log, naming no token
     * @param operator what an operator should check, or null when it is just a passing failure
     */
    public record Retry(String cause, String operator) implements Outcome {
    }

    /**
     * Cognito refused for a reason that retrying will not fix.
     *
     * @param cognitoError the Cognito error name
     * @param clientFault  true when the presented token is at fault, false for the app's setup
     * @param description  for the client
     * @param operator     for the log: the likely cause and the fix
     */
    public record Refused(String cognitoError, boolean clientFault, String description, String operator)
            implements Outcome {
    }

    /**
     * Builds the SDK client from the settings.
     *
     * @param settings the settings
     */
    public CognitoGateway(RevocationSettings settings) {
        this(settings, build(settings));
    }

    /**
     * Uses a given SDK client (tests).
     *
     * @param settings the settings
     * @param client   the client
     */
    public CognitoGateway(RevocationSettings settings, CognitoIdentityProviderClient client) {
        this.settings = settings;
        this.client = client;
    }

    private static CognitoIdentityProviderClient build(RevocationSettings settings) {
        CognitoIdentityProviderClientBuilder builder = CognitoIdentityProviderClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.cognitoTimeout())
                        .socketTimeout(settings.cognitoTimeout())
                        .build())
                .overrideConfiguration(c -> c
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(settings.cognitoTimeout()));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * Revokes a refresh token (and every access and ID token issued from it).
     *
     * @param refreshToken the refresh token
     * @return the outcome
     */
    public Outcome revoke(String refreshToken) {
        return call(() -> client.revokeToken(r -> r
                .token(refreshToken)
                .clientId(settings.clientId())
                .clientSecret(settings.clientSecret().orElse(null))));
    }

    /**
     * Signs the user out of every device (invalidates all their refresh tokens).
     *
     * @param accessToken the user's access token, which authorizes the call
     * @return the outcome
     */
    public Outcome globalSignOut(String accessToken) {
        return call(() -> client.globalSignOut(r -> r.accessToken(accessToken)));
    }

    private Outcome call(Supplier<?> call) {
        try {
            call.get();
            return new Done();
        } catch (RuntimeException e) {
            return classify(e, settings.clientId());
        }
    }

    /**
     * Maps a failure of a Cognito call to what the library does about it.
     *
     * @param e        the failure
     * @param clientId the app client, for the operator's message
     * @return retry or refused
     */
    static Outcome classify(RuntimeException e, String clientId) {
        String client = "app client " + clientId;
        if (e instanceof TooManyRequestsException) {
            return new Retry("Cognito throttled the call (TooManyRequestsException)", null);
        }
        if (e instanceof InternalErrorException) {
            return new Retry("Cognito failed internally (InternalErrorException)", null);
        }
        if (e instanceof ForbiddenException) {
            return new Retry("Cognito's AWS WAF web ACL blocked the call (ForbiddenException)",
                    "check the AWS WAF web ACL associated with the user pool: it blocks this server's calls;"
                            + " revocations are kept and retried until it lets them through");
        }
        if (e instanceof UnsupportedOperationException) {
            return new Refused("UnsupportedOperationException", false,
                    "Token revocation is not enabled for this application",
                    "token revocation is not enabled on " + client
                            + "; enable it with UpdateUserPoolClient (EnableTokenRevocation=true)");
        }
        if (e instanceof OperationNotEnabledException) {
            return new Refused("OperationNotEnabledException", false,
                    "The identity provider does not allow this operation",
                    "Cognito says the operation is not enabled for " + client
                            + " or its user pool; enable token revocation on the app client");
        }
        if (e instanceof UnauthorizedException) {
            return new Refused("UnauthorizedException", false,
                    "The identity provider refused this application's credentials",
                    "Cognito refused the credentials of " + client
                            + ": check the clientId and clientSecret init-params (a secret is needed exactly"
                            + " when the app client has one)");
        }
        if (e instanceof ResourceNotFoundException) {
            return new Refused("ResourceNotFoundException", false,
                    "The identity provider does not know this application",
                    "Cognito does not know " + client + ": check the clientId, userPoolId, region and endpoint"
                            + " init-params");
        }
        if (e instanceof UnsupportedTokenTypeException) {
            return new Refused("UnsupportedTokenTypeException", true,
                    "The refresh_token is not a refresh token", null);
        }
        if (e instanceof InvalidParameterException) {
            return new Refused("InvalidParameterException", true,
                    "The identity provider rejected the refresh_token as malformed", null);
        }
        if (e instanceof NotAuthorizedException) {
            return new Refused("NotAuthorizedException", true,
                    "The identity provider did not accept the presented token", null);
        }
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() != null && ase.awsErrorDetails().errorCode() != null
                    ? ase.awsErrorDetails().errorCode() : "HTTP " + ase.statusCode();
            if (ase.statusCode() >= 500 || ase.statusCode() == 429) {
                return new Retry("Cognito answered " + code, null);
            }
            return new Refused(code, false, "The identity provider refused the revocation",
                    "Cognito answered " + code + " (HTTP " + ase.statusCode() + ") for " + client);
        }
        if (e instanceof SdkException) {
            // Connection failures and timeouts: the request may or may not have arrived; revoking
            // again is harmless because RevokeToken is idempotent.
            return new Retry("Cognito could not be reached (" + e.getClass().getSimpleName() + ")", null);
        }
        return new Retry("calling Cognito failed (" + e.getClass().getSimpleName() + ")", null);
    }

    @Override
    public void close() {
        client.close();
    }
}
