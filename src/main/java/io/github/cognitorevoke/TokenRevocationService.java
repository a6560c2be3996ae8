package io.github.cognitorevoke;

import io.github.cognitorevoke.internal.Installation;
import io.github.cognitorevoke.internal.Installations;
import io.github.cognitorevoke.internal.RevocationEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.util.Objects;

/**
 * Revokes Cognito tokens and answers whether an access token is revoked.
 *
 * <p>In a Jakarta EE application this is an {@code @ApplicationScoped} CDI bean: {@code @Inject} it
 * anywhere. It uses the settings of the application's {@link RevocationFilter} in {@code web.xml}
 * and shares its denylist, so a token revoked here is rejected by the filter at once, and the
 * other way round. Outside CDI (unit tests, a plain servlet container) build one with
 * {@link #create(RevocationSettings)} and {@link #close()} it when done.
 */
@ApplicationScoped
public class TokenRevocationService implements AutoCloseable {

    private ServletContext servletContext;
    private volatile RevocationEngine engine;
    // Made by create, closed by close.
    private Installation own;

    /** For CDI. */
    protected TokenRevocationService() {
    }

    /**
     * For CDI: the engine is the one the application's deployment check built from {@code web.xml}.
     *
     * @param servletContext the application's servlet context
     */
    @Inject
    protected TokenRevocationService(ServletContext servletContext) {
        this.servletContext = servletContext;
    }

    private TokenRevocationService(RevocationEngine engine) {
        this.engine = engine;
    }

    /**
     * Creates a service outside CDI, with its own denylist, key cache and Cognito client.
     *
     * @param settings the settings
     * @return a service; close it when done
     */
    public static TokenRevocationService create(RevocationSettings settings) {
        Installation own = Installation.builder(Objects.requireNonNull(settings, "settings")).build();
        TokenRevocationService service = new TokenRevocationService(own.engine());
        service.own = own;
        return service;
    }

    /**
     * Wraps an engine (the filter's own, where there is no CDI).
     *
     * @param engine the engine
     * @return a service over it
     */
    static TokenRevocationService over(RevocationEngine engine) {
        return new TokenRevocationService(engine);
    }

    RevocationEngine engine() {
        RevocationEngine e = engine;
        if (e == null) {
            e = Installations.engine(servletContext);
            engine = e;
        }
        return e;
    }

    /**
     * Logs a user out. First the access token is verified (signature against the pool's JWKS,
     * {@code iss}, {@code token_use=access}, {@code client_id}, {@code exp}) and its {@code jti} and
     * {@code origin_jti} are denylisted; then the refresh token is revoked at Cognito. Either token
     * may be null, not both. The {@code jti} stays denylisted until the token's {@code exp} plus
     * {@code clockSkew}; the family ({@code origin_jti}, which ID tokens share) for
     * {@code maxTokenLifetime} plus {@code clockSkew} from now, or, while the revocation is pending
     * at Cognito, until its {@code pendingDeadline} plus {@code maxTokenLifetime} plus
     * {@code clockSkew}.
     *
     * <p>A refresh token that comes without a verified access token is unverified work: anyone can
     * send one. While Cognito throttles or is down such revocations wait in a bounded queue
     * ({@code maxPendingRevocations}, {@code maxPendingBytes}); when it is full a new one is refused
     * with {@link RevocationUnavailableException} before Cognito is called. Revocations that come
     * with a verified access token (up to four distinct refresh tokens per token family) are never
     * refused for that and are retried first.
     *
     * @param accessToken  the access token, or null
     * @param refreshToken the refresh token, or null
     * @return what was achieved; the local denylisting stands whatever the status
     * @throws InvalidRequestException        if both tokens are null, or the refresh token is longer
     *                                        than 8 KiB (nothing changed)
     * @throws InvalidTokenException          if the access token fails verification (nothing changed)
     * @throws RevocationUnavailableException if the pool's keys cannot be fetched, or too many
     *                                        unverified revocations wait for Cognito (nothing changed)
     */
    public LogoutResult logout(String accessToken, String refreshToken) {
        if (isBlank(accessToken) && isBlank(refreshToken)) {
            throw new InvalidRequestException("A logout needs an access token, a refresh token or both");
        }
        return engine().logout(isBlank(accessToken) ? null : accessToken, isBlank(refreshToken) ? null : refreshToken);
    }

    /**
     * Signs the token's user out on every device: verifies the access token, rejects from now on
     * every token of that user issued until this moment, and calls Cognito's {@code GlobalSignOut}
     * (which invalidates all of the user's refresh tokens).
     *
     * @param accessToken the user's access token
     * @return what was achieved; the local cut-off stands whatever the status
     * @throws InvalidTokenException          if the access token fails verification (nothing changed)
     * @throws RevocationUnavailableException if the pool's keys cannot be fetched (nothing changed)
     */
    public LogoutResult signOutEverywhere(String accessToken) {
        if (isBlank(accessToken)) {
            throw new InvalidRequestException("A global sign-out needs the user's access token");
        }
        return engine().signOutEverywhere(accessToken);
    }

    /**
     * Rejects every token of a user issued until now, without calling Cognito. For administrative
     * flows that call {@code AdminUserGlobalSignOut} themselves (it needs IAM credentials).
     *
     * @param subject the user's {@code sub} claim
     */
    public void rejectTokensIssuedUntilNow(String subject) {
        if (isBlank(subject)) {
            throw new IllegalArgumentException("subject must not be blank");
        }
        engine().cutOff(subject);
    }

    /**
     * Signs a user out everywhere as an administrator, without the user's token (a disabled user,
     * a stolen device, a support desk). The username is turned into the user's {@code sub} with
     * Cognito's {@code AdminGetUser} (the cut-off is kept per {@code sub}, which, unlike a username,
     * is never reused); every token of that user issued until now is rejected on every node; then
     * Cognito's {@code AdminUserGlobalSignOut} ends all of the user's refresh tokens. Both calls need
     * AWS credentials (the SDK's default chain) allowed {@code cognito-idp:AdminGetUser} and
     * {@code cognito-idp:AdminUserGlobalSignOut}. The event, metrics and audit line are those of a
     * sign-out everywhere (audit: {@code signOutByAdministrator}); who asked is for the caller to
     * record. Not retried in the background: call again after a failure (it is idempotent). Also a
     * JMX operation, {@link RevocationMetricsMXBean#signOutUser}.
     *
     * @param username the user's username
     * @return COMPLETED; REFUSED if Cognito refused the sign-out (the local cut-off stands)
     * @throws InvalidRequestException        if the username is blank or the pool has no such user
     *                                        (nothing changed)
     * @throws RevocationUnavailableException if there are no AWS credentials or IAM does not allow
     *                                        the calls, or Cognito could not be reached: before the
     *                                        cut-off nothing changed; after it, the message says that
     *                                        the cut-off stands and the sign-out at Cognito did not happen
     */
    public LogoutResult signOutUser(String username) {
        if (isBlank(username)) {
            throw new InvalidRequestException("A sign-out by an administrator needs a username");
        }
        return engine().signOutUser(username.strip());
    }

    /**
     * Tells whether a bearer JWT is revoked: its {@code jti} or {@code origin_jti} is denylisted, or
     * its user was signed out everywhere after it was issued. Applies to access and ID tokens. This
     * check is cheap (no signature verification, no network) and does not replace the application's
     * own token verification. The text is searched as the filter searches a header; a text with
     * more than four parts that only Nimbus can read (no issued token has one) is not checked in
     * full and counts as revoked.
     *
     * @param token a compact JWT
     * @return true if revoked; false for anything else that is not a JWT
     */
    public boolean isRevoked(String token) {
        return token != null && engine().isRevoked(token);
    }

    /**
     * Returns how many revocations wait for Cognito (it was unreachable or throttling); they are
     * retried in the background with backoff until they succeed, Cognito refuses them, or their
     * deadline ({@code pendingDeadline}; for a global sign-out the access token's {@code exp})
     * passes.
     *
     * @return the number of pending calls
     */
    public int pendingRevocations() {
        return engine().pendingCount();
    }

    /**
     * Returns this application's health: live while the background worker that retries pending
     * revocations runs; ready once the user pool's signing keys were fetched (they are fetched in
     * the background at deployment, then every 30 seconds until that works) and, with
     * {@code redisUri}, while this node's copy of the shared denylist is in sync (not before its
     * first sync, nor from a lost subscription until the resync after it). Where MicroProfile
     * Health is present the same state is served as the checks named {@code cognito-revoke}.
     *
     * @return the state
     */
    public RevocationHealth health() {
        return engine().health();
    }

    /** Closes a service made by {@link #create}; the CDI bean's engine closes with the application. */
    @Override
    public void close() {
        if (own != null) {
            own.close();
        } else if (servletContext == null && engine != null) {
            engine.close();
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
