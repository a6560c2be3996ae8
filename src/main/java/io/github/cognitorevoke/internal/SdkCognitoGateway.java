package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.LogoutResult.Refusal.Reason;
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
public final class SdkCognitoGateway implements CognitoGateway {

    private static final int MAX_CAUSE_MESSAGE = 200;

    private final CognitoIdentityProviderClient client;
    private final RevocationSettings settings;
    private final String endpoint;

    /**
     * Builds the SDK client from the settings.
     *
     * @param settings the settings
     */
    public SdkCognitoGateway(RevocationSettings settings) {
        this(settings, build(settings));
    }

    /**
     * Uses a given SDK client (tests).
     *
     * @param settings the settings
     * @param client   the client
     */
    public SdkCognitoGateway(RevocationSettings settings, CognitoIdentityProviderClient client) {
        this.settings = settings;
        this.client = client;
        this.endpoint = endpoint(settings);
    }

    /**
     * The endpoint the SDK calls, for messages.
     *
     * @param settings the settings
     * @return the override, or the regional public endpoint
     */
    static String endpoint(RevocationSettings settings) {
        return settings.endpoint().map(Object::toString)
                .orElse("https://cognito-idp." + settings.region() + ".amazonaws.com");
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

    @Override
    public Outcome revoke(String refreshToken) {
        return call(() -> client.revokeToken(r -> r
                .token(refreshToken)
                .clientId(settings.clientId())
                .clientSecret(settings.clientSecret().orElse(null))));
    }

    @Override
    public Outcome globalSignOut(String accessToken) {
        return call(() -> client.globalSignOut(r -> r.accessToken(accessToken)));
    }

    private Outcome call(Supplier<?> call) {
        try {
            call.get();
            return new Done();
        } catch (RuntimeException e) {
            return classify(e, settings.clientId(), endpoint);
        }
    }

    /**
     * Maps a failure of a Cognito call to what the library does about it.
     *
     * @param e        the failure
     * @param clientId the app client, for the operator's message
     * @param endpoint the endpoint called, for the operator's message
     * @return retry or refused
     */
    static Outcome classify(RuntimeException e, String clientId, String endpoint) {
        String client = "app client " + clientId;
        String at = "Cognito at " + endpoint;
        if (e instanceof TooManyRequestsException) {
            return new Retry(at + " throttled the call (TooManyRequestsException)", null);
        }
        if (e instanceof InternalErrorException) {
            return new Retry(at + " failed internally (InternalErrorException)", null);
        }
        if (e instanceof ForbiddenException) {
            // A web ACL may judge the request's content, so a caller can shape junk to be blocked:
            // retried, a refresh token alone would fill the unverified cap for a day (503s for
            // everyone). Only work that came with a verified access token is worth keeping.
            String acl = "check the AWS WAF web ACL associated with the user pool: it blocks this server's calls";
            return new Retry(at + ": its AWS WAF web ACL blocked the call (ForbiddenException)",
                    acl + "; revocations with a verified access token are kept and retried until it lets them through",
                    new Refused(Reason.CLIENT_MISCONFIGURED, "ForbiddenException",
                            "The identity provider's firewall (AWS WAF) blocked the revocation of the refresh token;"
                                    + " it was not done and is not retried",
                            at + ": its AWS WAF web ACL blocked a RevokeToken with a refresh token alone, which is"
                                    + " dropped, not retried; " + acl));
        }
        if (e instanceof UnsupportedOperationException) {
            return new Refused(Reason.CLIENT_MISCONFIGURED, "UnsupportedOperationException",
                    "Token revocation is not enabled for this application",
                    "token revocation is not enabled on " + client
                            + "; enable it with UpdateUserPoolClient (EnableTokenRevocation=true)");
        }
        if (e instanceof OperationNotEnabledException) {
            return new Refused(Reason.CLIENT_MISCONFIGURED, "OperationNotEnabledException",
                    "The identity provider does not allow this operation",
                    "Cognito says the operation is not enabled for " + client
                            + " or its user pool; enable token revocation on the app client");
        }
        if (e instanceof UnauthorizedException) {
            return new Refused(Reason.CLIENT_MISCONFIGURED, "UnauthorizedException",
                    "The identity provider refused this application's credentials",
                    "Cognito refused the credentials of " + client
                            + ": check the clientId and clientSecret init-params (a secret is needed exactly"
                            + " when the app client has one)");
        }
        if (e instanceof ResourceNotFoundException) {
            return new Refused(Reason.CLIENT_MISCONFIGURED, "ResourceNotFoundException",
                    "The identity provider does not know this application",
                    at + " does not know " + client + ": check the clientId, userPoolId, region and endpoint"
                            + " init-params");
        }
        if (e instanceof UnsupportedTokenTypeException) {
            return new Refused(Reason.NOT_A_REFRESH_TOKEN, "UnsupportedTokenTypeException",
                    "The refresh_token is not a refresh token", null);
        }
        if (e instanceof InvalidParameterException) {
            return new Refused(Reason.MALFORMED_TOKEN, "InvalidParameterException",
                    "The identity provider rejected the refresh_token as malformed", null);
        }
        if (e instanceof NotAuthorizedException) {
            return new Refused(Reason.TOKEN_NOT_ACCEPTED, "NotAuthorizedException",
                    "The identity provider did not accept the presented token", null);
        }
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() != null && ase.awsErrorDetails().errorCode() != null
                    ? ase.awsErrorDetails().errorCode() : "HTTP " + ase.statusCode();
            if (ase.statusCode() >= 500 || ase.statusCode() == 429) {
                return new Retry(at + " answered " + code + " (HTTP " + ase.statusCode() + ")", null);
            }
            return new Refused(Reason.CLIENT_MISCONFIGURED, code, "The identity provider refused the revocation",
                    at + " answered " + code + " (HTTP " + ase.statusCode() + ") for " + client);
        }
        if (e instanceof SdkException) {
            // Connection failures and timeouts: the request may or may not have arrived; revoking
            // again is harmless because RevokeToken is idempotent.
            return new Retry(at + " could not be reached: " + rootCause(e), null);
        }
        return new Retry("calling " + at + " failed: " + rootCause(e), null);
    }

    /**
     * Names the innermost cause as {@code SimpleClassName: message}. Network exceptions carry host,
     * port and errno text, never a request body, so no token can leak through them; the message is
     * still cut short and stripped of control characters to keep one log line.
     */
    static String rootCause(Throwable e) {
        Throwable root = e;
        for (int i = 0; i < 20 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            return root.getClass().getSimpleName();
        }
        String clean = message.replaceAll("\\p{Cntrl}+", " ").strip();
        if (clean.length() > MAX_CAUSE_MESSAGE) {
            clean = clean.substring(0, MAX_CAUSE_MESSAGE) + "...";
        }
        return root.getClass().getSimpleName() + ": " + clean;
    }

    @Override
    public void close() {
        client.close();
    }
}
