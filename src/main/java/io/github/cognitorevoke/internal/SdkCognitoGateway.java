package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationSettings;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClientBuilder;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TokenValidityUnitsType;
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

    /** The kind of call a logout's warnings are keyed by. */
    static final String WARN_LOGOUT = "cognito";
    /** The kind of call an administrator's sign-out's warnings are keyed by. */
    static final String WARN_ADMIN = "admin";
    /** The kind of call the app client's read's warnings are keyed by. */
    static final String WARN_DESCRIBE = "describe";

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
            if (e.error() == null || !e.error().retried()) {
                throw e;
            }
            return new Retry(e.getMessage(), null, null, e.error().warningKey(WARN_ADMIN));
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
        } catch (AdminCallException e) {
            throw e;
        } catch (RuntimeException e) {
            CognitoError row = CognitoError.of(e);
            String code = e instanceof AwsServiceException ase ? CognitoError.code(ase) + ", HTTP " + ase.statusCode()
                    : rootCause(e);
            String why = switch (row.signed()) {
                case ACCESS_DENIED -> "the AWS credentials found may not call " + operation + " on " + pool + " ("
                        + code + "): allow cognito-idp:" + operation + " on the pool in their IAM policy";
                case NOT_FOUND -> row == CognitoError.USER_NOT_FOUND
                        ? "Cognito knows no such user in " + pool + " (" + code + ")"
                        : row == CognitoError.UNKNOWN_CLIENT
                        ? row.operator(settings.clientId(), "Cognito at " + endpoint, code)
                        : "Cognito refused the parameters of " + operation + " (" + code + ")";
                default -> operation + " failed: " + (row.retried() ? "Cognito at " + endpoint + " (" + code + ")"
                        : row.operator(settings.clientId(), "Cognito at " + endpoint, code) + " (" + code + ")");
            };
            throw new AdminCallException(row.signed(), why, row);
        }
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
     * Maps a failure of a Cognito call to what the library does about it, by its row in
     * {@link CognitoError} (the one table that decides).
     *
     * @param e        the failure
     * @param clientId the app client, for the operator's message
     * @param endpoint the endpoint called, for the operator's message
     * @return retry or refused
     */
    static Outcome classify(RuntimeException e, String clientId, String endpoint) {
        CognitoError row = CognitoError.of(e);
        String at = "Cognito at " + endpoint;
        String answered = e instanceof AwsServiceException ase
                ? CognitoError.code(ase) + " (HTTP " + ase.statusCode() + ")" : rootCause(e);
        String operator = row.operator(clientId, at, answered);
        String key = row.warningKey(WARN_LOGOUT);
        if (row == CognitoError.WAF_BLOCKED) {
            return new Retry(at + ": its AWS WAF web ACL blocked the call (ForbiddenException)",
                    operator + "; revocations with a verified access token are kept and retried until it lets them"
                            + " through", new Refused(row.reason(), "ForbiddenException", row.description(),
                            at + ": its AWS WAF web ACL blocked a RevokeToken with a refresh token alone, which is"
                                    + " dropped, not retried; " + operator), key);
        }
        if (row.retried()) {
            return new Retry(row == CognitoError.NETWORK ? at + " could not be reached: " + answered
                    : row == CognitoError.TIMEOUT ? operator + " (" + answered + ")" : operator, null, null, key);
        }
        String code = e instanceof AwsServiceException ase ? CognitoError.code(ase) : row.name();
        return new Refused(row.reason(), code, row.description(), row.warns() ? operator : null);
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
