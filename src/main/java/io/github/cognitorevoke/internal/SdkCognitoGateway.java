package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.LogoutResult.Refusal.Reason;
import io.github.cognitorevoke.RevocationSettings;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
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
import software.amazon.awssdk.services.cognitoidentityprovider.model.TokenValidityUnitsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnauthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnsupportedOperationException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnsupportedTokenTypeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;

/**
 * Calls Cognito through the AWS SDK for Java v2 and turns every answer into an {@link Outcome}.
 *
 * <p>The logout's client needs no AWS credentials: RevokeToken and GlobalSignOut are not
 * IAM-authorized, so it signs nothing ({@link AnonymousCredentialsProvider}). A second client signs
 * the administrator's calls ({@code DescribeUserPoolClient}, {@code AdminGetUser},
 * {@code AdminUserGlobalSignOut}) with the credentials of the SDK's default chain; they are optional
 * and never used on a request's path. Both use the JDK's URLConnection HTTP client and do not retry
 * by themselves: a failed call is retried by the library in the background, so a logout never waits
 * through the SDK's backoff.
 */
public final class SdkCognitoGateway implements CognitoGateway {

    private static final int MAX_CAUSE_MESSAGE = 200;

    /** Error codes of a signed call whose credentials are missing, wrong, expired or not allowed. */
    private static final Set<String> ACCESS_ERRORS = Set.of("AccessDeniedException", "UnrecognizedClientException",
            "InvalidSignatureException", "ExpiredTokenException", "MissingAuthenticationTokenException",
            "IncompleteSignature", "InvalidClientTokenId", "NotAuthorizedException", "UnauthorizedException");

    private final CognitoIdentityProviderClient client;
    // Signs the administrator's calls; null where there is no such client (tests).
    private final CognitoIdentityProviderClient admin;
    private final AwsCredentialsProvider credentials;
    private final RevocationSettings settings;
    private final String endpoint;

    /**
     * Builds the SDK clients from the settings; the administrator's calls use the SDK's default
     * credentials chain (environment, system properties, profile, container or instance role).
     *
     * @param settings the settings
     */
    public SdkCognitoGateway(RevocationSettings settings) {
        this(settings, DefaultCredentialsProvider.builder().build());
    }

    /**
     * Builds the SDK clients; the administrator's calls are signed with the given credentials.
     *
     * @param settings    the settings
     * @param credentials signs DescribeUserPoolClient, AdminGetUser and AdminUserGlobalSignOut
     */
    public SdkCognitoGateway(RevocationSettings settings, AwsCredentialsProvider credentials) {
        this(settings, build(settings, AnonymousCredentialsProvider.create()), build(settings, credentials), credentials);
    }

    /**
     * Uses a given SDK client for the logout's calls and makes no administrator's calls (tests).
     *
     * @param settings the settings
     * @param client   the client
     */
    public SdkCognitoGateway(RevocationSettings settings, CognitoIdentityProviderClient client) {
        this(settings, client, null, null);
    }

    private SdkCognitoGateway(RevocationSettings settings, CognitoIdentityProviderClient client,
                              CognitoIdentityProviderClient admin, AwsCredentialsProvider credentials) {
        this.settings = settings;
        this.client = client;
        this.admin = admin;
        this.credentials = credentials;
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

    private static CognitoIdentityProviderClient build(RevocationSettings settings,
                                                       AwsCredentialsProvider credentials) {
        CognitoIdentityProviderClientBuilder builder = CognitoIdentityProviderClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
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

    @Override
    public AppClient describeClient() {
        return signed("DescribeUserPoolClient", () -> appClient(admin.describeUserPoolClient(r -> r
                .userPoolId(settings.userPoolId()).clientId(settings.clientId())).userPoolClient()));
    }

    @Override
    public String subjectOf(String username) {
        return signed("AdminGetUser", () -> admin.adminGetUser(r -> r.userPoolId(settings.userPoolId())
                        .username(username)).userAttributes().stream()
                .filter(a -> "sub".equals(a.name())).map(a -> a.value()).findFirst()
                .orElseThrow(() -> new AdminCallException(AdminCallException.Cause.NOT_FOUND,
                        "Cognito returned no sub attribute for the user")));
    }

    @Override
    public Outcome adminSignOut(String username) {
        try {
            return signed("AdminUserGlobalSignOut", () -> {
                admin.adminUserGlobalSignOut(r -> r.userPoolId(settings.userPoolId()).username(username));
                return new Done();
            });
        } catch (AdminCallException e) {
            if (e.why() != AdminCallException.Cause.UNAVAILABLE) {
                throw e;
            }
            return new Retry(e.getMessage(), null);
        }
    }

    /** Runs a signed call; every failure becomes an {@link AdminCallException} that says why. */
    private <T> T signed(String operation, Supplier<T> call) {
        String pool = "user pool " + settings.userPoolId();
        if (admin == null) {
            throw new AdminCallException(AdminCallException.Cause.NO_CREDENTIALS, "no AWS credentials are configured");
        }
        try {
            credentials.resolveCredentials();
        } catch (RuntimeException e) {
            throw new AdminCallException(AdminCallException.Cause.NO_CREDENTIALS, "no AWS credentials were found"
                    + " (the AWS SDK's default chain: environment variables, system properties, web identity, profile,"
                    + " container or instance role), so " + operation + " cannot be called");
        }
        try {
            return call.get();
        } catch (UserNotFoundException e) {
            throw new AdminCallException(AdminCallException.Cause.NOT_FOUND, "Cognito knows no such user in " + pool
                    + " (UserNotFoundException)");
        } catch (ResourceNotFoundException e) {
            throw new AdminCallException(AdminCallException.Cause.NOT_FOUND, "Cognito at " + endpoint
                    + " knows no app client " + settings.clientId() + " in " + pool + " (ResourceNotFoundException):"
                    + " check the clientId, userPoolId and region init-params");
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                    ? e.awsErrorDetails().errorCode() : "HTTP " + e.statusCode();
            if (ACCESS_ERRORS.contains(code) || e.statusCode() == 403) {
                throw new AdminCallException(AdminCallException.Cause.ACCESS_DENIED, "the AWS credentials found may"
                        + " not call " + operation + " on " + pool + " (" + code + "): allow cognito-idp:" + operation
                        + " on the pool in their IAM policy");
            }
            throw unavailable(operation, e);
        } catch (SdkException e) {
            throw unavailable(operation, e);
        }
    }

    private AdminCallException unavailable(String operation, RuntimeException e) {
        Outcome outcome = classify(e, settings.clientId(), endpoint);
        String cause = outcome instanceof Retry r ? r.cause()
                : outcome instanceof Refused r && r.operator() != null ? r.operator() : rootCause(e);
        return new AdminCallException(AdminCallException.Cause.UNAVAILABLE, operation + " failed: " + cause);
    }

    /** The SDK's answer as the library reads it: validities in their units, Cognito's defaults where absent. */
    static AppClient appClient(UserPoolClientType c) {
        TokenValidityUnitsType units = c.tokenValidityUnits();
        boolean rotation = c.refreshTokenRotation() != null
                && "ENABLED".equalsIgnoreCase(c.refreshTokenRotation().featureAsString());
        Integer grace = rotation ? c.refreshTokenRotation().retryGracePeriodSeconds() : null;
        return new AppClient(
                AppClient.validity(c.accessTokenValidity(), units == null ? null : units.accessTokenAsString(),
                        "hours", AppClient.DEFAULT_ACCESS),
                AppClient.validity(c.idTokenValidity(), units == null ? null : units.idTokenAsString(),
                        "hours", AppClient.DEFAULT_ID),
                AppClient.validity(c.refreshTokenValidity(), units == null ? null : units.refreshTokenAsString(),
                        "days", AppClient.DEFAULT_REFRESH),
                // Absent on clients older than the setting: not known to be off, so not treated as off.
                !Boolean.FALSE.equals(c.enableTokenRevocation()), rotation,
                java.time.Duration.ofSeconds(grace == null ? 0 : grace),
                c.hasLogoutURLs() ? c.logoutURLs() : List.of(), c.hasCallbackURLs() ? c.callbackURLs() : List.of(),
                c.lastModifiedDate());
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
        if (admin != null) {
            admin.close();
        }
        if (credentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing held that outlives the application
            }
        }
    }
}
