package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Reads the app client's real settings ({@code DescribeUserPoolClient}) where AWS credentials are
 * available: once at deployment, then on the retry thread every {@link #INTERVAL}. What it finds
 * sets the entry lifetimes ({@link Lifetimes#with}); token revocation switched off, or a configured
 * {@code logoutUri} that the client does not allow, fails the deployment (found later: one warning
 * per cause). No credentials, or credentials that may not read the client: one INFO line at
 * deployment, and the configured rules stay.
 */
final class AppClientCheck {

    /** How often the app client is read again while the application runs. */
    static final Duration INTERVAL = Duration.ofHours(1);

    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");
    private static final int MAX_URLS_SHOWN = 10;

    private final RevocationSettings settings;
    private final CognitoGateway cognito;
    private final Consumer<AppClient> apply;
    private final WarnOnce warnings;
    private volatile AppClient last;

    /**
     * @param settings the settings
     * @param cognito  reads the app client
     * @param apply    takes the client as read (the engine's lifetimes)
     * @param warnings the engine's once-per-cause warnings
     */
    AppClientCheck(RevocationSettings settings, CognitoGateway cognito, Consumer<AppClient> apply, WarnOnce warnings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cognito = Objects.requireNonNull(cognito, "cognito");
        this.apply = Objects.requireNonNull(apply, "apply");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /**
     * The deployment's read, bounded by {@code cognitoTimeout} (resolving credentials included).
     *
     * @return the client as read, or empty where it could not be read (said in one INFO line)
     * @throws RevocationConfigurationException if token revocation is off, or {@code logoutUri} is
     *                                          not among the client's sign-out URLs
     */
    Optional<AppClient> atDeployment() {
        CompletableFuture<AppClient> read = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                read.complete(cognito.describeClient());
            } catch (RuntimeException e) {
                read.completeExceptionally(e);
            }
        }, "cognito-revoke-app-client");
        reader.setDaemon(true);
        reader.start();
        AppClient client;
        try {
            client = read.get(settings.cognitoTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reader.interrupt();
            info("reading it took longer than " + RevocationSettings.COGNITO_TIMEOUT + "="
                    + settings.cognitoTimeout() + "; it is read again every hour");
            return Optional.empty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AdminCallException a && operatorMustFix(a)) {
                // Credentials are there but may not read the client, or it does not exist: not a
                // choice (as having no credentials is) but a mistake, so a warning.
                warnings.warn(a.error().warningKey(SdkCognitoGateway.WARN_DESCRIBE), notRead(a.getMessage()));
            } else {
                info(e.getCause() instanceof AdminCallException a ? a.getMessage()
                        : "reading it failed: " + e.getCause().getClass().getSimpleName());
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        String problem = problem(client);
        if (problem != null) {
            throw new RevocationConfigurationException(problemParameter(client), problem);
        }
        take(client);
        return Optional.of(client);
    }

    /** The hourly read: never throws; a problem found now is one warning per cause. */
    void again() {
        AppClient client;
        try {
            client = cognito.describeClient();
        } catch (AdminCallException e) {
            // Without credentials from the start, the deployment's INFO line said all there is to say.
            boolean credentialsGone = e.error() == null && last != null;
            if (credentialsGone || (e.error() != null && (e.error().warns() || e.error().signedMustFix()))) {
                warnings.warn(e.error() == null ? SdkCognitoGateway.WARN_DESCRIBE + ":NO_CREDENTIALS"
                        : e.error().warningKey(SdkCognitoGateway.WARN_DESCRIBE), "cognito-revoke: the settings of app"
                        + " client " + settings.clientId() + " were not read again (" + e.getMessage() + "); the"
                        + " rules read before stay");
            }
            return;
        } catch (RuntimeException e) {
            warnings.warn(SdkCognitoGateway.WARN_DESCRIBE + ":" + e.getClass().getSimpleName(), "cognito-revoke:"
                    + " reading app client " + settings.clientId() + " failed: " + e.getClass().getSimpleName());
            return;
        }
        warnings.cleared(SdkCognitoGateway.WARN_DESCRIBE);
        String problem = problem(client);
        if (problem != null) {
            warnings.warn("app-client:" + problemParameter(client), "cognito-revoke: " + problem);
        }
        take(client);
    }

    private void take(AppClient client) {
        AppClient before = last;
        last = client;
        apply.accept(client);
        if (!client.equals(before)) {
            LOG.log(System.Logger.Level.INFO, "cognito-revoke: app client " + settings.clientId() + " read ("
                    + client.describe() + "); token families stay denylisted for the longer of the access and ID"
                    + " token validity plus " + RevocationSettings.CLOCK_SKEW + ", " + RevocationSettings.MAX_TOKEN_LIFETIME
                    + " until tokens issued before its last change have expired");
        }
    }

    /** What in Cognito makes this deployment unable to do its job, or null. */
    String problem(AppClient client) {
        if (!client.tokenRevocation()) {
            return "app client " + settings.clientId() + " has token revocation switched off in Cognito"
                    + " (EnableTokenRevocation=false): every RevokeToken fails and its tokens carry no jti or"
                    + " origin_jti to denylist; switch it on (UpdateUserPoolClient with EnableTokenRevocation=true,"
                    + " or in the console: the app client's token revocation setting)";
        }
        Optional<String> logoutUri = settings.logoutUri().map(Object::toString);
        if (logoutUri.isPresent() && !client.logoutUrls().contains(logoutUri.get())) {
            return "'" + logoutUri.get() + "' is not among the allowed sign-out URLs (LogoutURLs) of app client "
                    + settings.clientId() + " " + shown(client) + ", so every browser logout would end on Cognito's"
                    + " error page; add it to the app client's allowed sign-out URLs in Cognito (UpdateUserPoolClient"
                    + " LogoutURLs) or set " + RevocationSettings.LOGOUT_URI + " to one of them";
        }
        return null;
    }

    private static String problemParameter(AppClient client) {
        return client.tokenRevocation() ? RevocationSettings.LOGOUT_URI : RevocationSettings.CLIENT_ID;
    }

    private static String shown(AppClient client) {
        return client.logoutUrls().size() <= MAX_URLS_SHOWN ? client.logoutUrls().toString()
                : client.logoutUrls().subList(0, MAX_URLS_SHOWN) + " and " + (client.logoutUrls().size()
                        - MAX_URLS_SHOWN) + " more";
    }

    /** Credentials that may not read the client, a client that does not exist, a refusal of the setup. */
    private static boolean operatorMustFix(AdminCallException e) {
        return e.error() != null && e.error().signedMustFix();
    }

    private void info(String why) {
        LOG.log(System.Logger.Level.INFO, notRead(why));
    }

    private String notRead(String why) {
        return "cognito-revoke: the settings of app client " + settings.clientId()
                + " were not read (DescribeUserPoolClient): " + why + "; token revocation, the allowed sign-out URLs"
                + " and the token validities are not checked, and token families stay denylisted for "
                + RevocationSettings.MAX_TOKEN_LIFETIME + "=" + settings.maxTokenLifetime()
                + " plus " + RevocationSettings.CLOCK_SKEW;
    }
}
