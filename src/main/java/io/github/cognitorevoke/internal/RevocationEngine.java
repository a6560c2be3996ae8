package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.LogoutResult.Refusal;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.CognitoGateway.Done;
import io.github.cognitorevoke.internal.CognitoGateway.Outcome;
import io.github.cognitorevoke.internal.CognitoGateway.Refused;
import io.github.cognitorevoke.internal.CognitoGateway.Retry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The decisions of cognito-revoke, with no servlet API in sight: what to verify, what to denylist
 * for how long, when to call Cognito, and what to retry.
 *
 * <p>One engine serves one application: the filter and every injection point of the CDI service
 * share it. It owns a single daemon thread that retries pending Cognito calls with exponential
 * backoff; {@link #close()} stops it.
 */
public final class RevocationEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");
    /** Cognito's longest access-token lifetime: a sign-out cut-off must outlive every token it covers. */
    static final Duration MAX_ACCESS_TOKEN_LIFETIME = Duration.ofDays(1);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

    private final RevocationSettings settings;
    private final Clock clock;
    private final Denylist denylist;
    private final AccessTokenVerifier verifier;
    private final CognitoGateway cognito;
    private final WarnOnce warnings = new WarnOnce(LOG);
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retrier;

    /** A Cognito call that has not succeeded yet. */
    private static final class Pending {
        final Function<CognitoGateway, Outcome> call;
        final String originJti;
        final Duration familyLifetime;
        final Instant giveUpAt;
        int attempts;
        Instant nextAttempt;

        Pending(Function<CognitoGateway, Outcome> call, String originJti, Duration familyLifetime, Instant giveUpAt) {
            this.call = call;
            this.originJti = originJti;
            this.familyLifetime = familyLifetime;
            this.giveUpAt = giveUpAt;
        }
    }

    /**
     * Wires an engine.
     *
     * @param settings        the settings
     * @param clock           the time source for expiry, verification and backoff
     * @param denylist        where revoked ids are kept
     * @param verifier        verifies access tokens
     * @param cognito         calls Cognito
     * @param retryInBackground whether to start the retry thread (tests drive {@link #retryDue()})
     */
    public RevocationEngine(RevocationSettings settings, Clock clock, Denylist denylist, AccessTokenVerifier verifier,
                            CognitoGateway cognito, boolean retryInBackground) {
        this.settings = settings;
        this.clock = clock;
        this.denylist = denylist;
        this.verifier = verifier;
        this.cognito = cognito;
        if (retryInBackground) {
            retrier = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cognito-revoke-retry");
                t.setDaemon(true);
                return t;
            });
            retrier.scheduleWithFixedDelay(this::retryDueQuietly, 1, 1, TimeUnit.SECONDS);
        } else {
            retrier = null;
        }
    }

    /**
     * Builds the default engine: Caffeine denylist, Nimbus verifier, SDK client, system clock.
     *
     * @param settings the settings
     * @return the engine
     */
    public static RevocationEngine create(RevocationSettings settings) {
        Clock clock = Clock.systemUTC();
        return new RevocationEngine(settings, clock, new CaffeineDenylist(clock),
                new AccessTokenVerifier(settings, clock), new CognitoGateway(settings), true);
    }

    /** @return the settings */
    public RevocationSettings settings() {
        return settings;
    }

    /**
     * Logs out: verifies and denylists the access token, then revokes the refresh token.
     *
     * @param accessToken  the access token, or null
     * @param refreshToken the refresh token, or null
     * @return what was achieved
     */
    public LogoutResult logout(String accessToken, String refreshToken) {
        if (accessToken == null && refreshToken == null) {
            throw new IllegalArgumentException("a logout needs an access token, a refresh token or both");
        }
        AccessTokenVerifier.Verified token = accessToken == null ? null : verifier.verify(accessToken);
        Instant now = clock.instant();
        String originJti = null;
        Duration lifetime = null;
        boolean denylisted = false;
        if (token != null) {
            denylisted = denylistJti(token);
            lifetime = Duration.between(token.issuedAt(), token.expiresAt());
            originJti = token.originJti();
            if (originJti != null) {
                // Until Cognito confirms, the refresh token can still mint siblings: hold the family.
                denylist.add(originJti, now.plus(lifetime).plus(settings.clockSkew()));
            } else if (denylisted) {
                warnings.warn("no-origin-jti", "cognito-revoke: access tokens of app client " + settings.clientId()
                        + " carry no origin_jti, so only the presented token is denylisted, not its siblings;"
                        + " token revocation is probably disabled on the app client (or this is an emulator)");
            }
        }
        if (refreshToken == null) {
            return new LogoutResult(LogoutResult.Status.COMPLETED, denylisted, Optional.empty());
        }
        Pending p = new Pending(c -> c.revoke(refreshToken), originJti, lifetime, null);
        return attempt(refreshToken, p, denylisted);
    }

    /**
     * Signs a user out everywhere: verifies the access token, rejects every token of its subject
     * issued until now, and calls Cognito's GlobalSignOut.
     *
     * @param accessToken the user's access token
     * @return what was achieved
     */
    public LogoutResult signOutEverywhere(String accessToken) {
        AccessTokenVerifier.Verified token = verifier.verify(accessToken);
        boolean denylisted = denylistJti(token);
        cutOff(token.sub());
        // GlobalSignOut is authorized by the access token itself: retrying after it expires is futile.
        Pending p = new Pending(c -> c.globalSignOut(accessToken), null, null, token.expiresAt());
        return attempt("global:" + token.sub(), p, denylisted);
    }

    /** Denylists a verified token's own {@code jti} until it expires; false if it carries none. */
    private boolean denylistJti(AccessTokenVerifier.Verified token) {
        if (token.jti() == null) {
            warnings.warn("no-jti", "cognito-revoke: access tokens of app client " + settings.clientId()
                    + " carry no jti, so a logout cannot denylist them; enable token revocation on the app"
                    + " client (UpdateUserPoolClient, EnableTokenRevocation=true)");
            return false;
        }
        denylist.add(token.jti(), token.expiresAt().plus(settings.clockSkew()));
        return true;
    }

    /**
     * Rejects every token of a subject issued until now (no call to Cognito).
     *
     * @param subject the {@code sub} claim
     */
    public void cutOff(String subject) {
        Instant now = clock.instant();
        // Tokens carry whole seconds: reject the current second too, so none issued before slips by.
        denylist.cutOff(subject, Instant.ofEpochSecond(now.getEpochSecond() + 1),
                now.plus(MAX_ACCESS_TOKEN_LIFETIME).plus(settings.clockSkew()).plusSeconds(1));
    }

    /**
     * Tells whether a bearer JWT (access or ID token) is revoked: its {@code jti} or
     * {@code origin_jti} is denylisted, or its subject was signed out after it was issued. No
     * signature check and no network: this runs on every request.
     *
     * @param token the compact JWT
     * @return true if revoked; false also for text that is not a JWT
     */
    public boolean isRevoked(String token) {
        TokenIds ids = TokenIds.peek(token);
        if (ids == null) {
            return false;
        }
        return (ids.jti() != null && denylist.contains(ids.jti()))
                || (ids.originJti() != null && denylist.contains(ids.originJti()))
                || (ids.sub() != null && ids.iat() != Long.MIN_VALUE && ids.iat() < denylist.notBeforeEpochSecond(ids.sub()));
    }

    /** @return how many Cognito calls are waiting to be retried */
    public int pendingCount() {
        return pending.size();
    }

    private LogoutResult attempt(String key, Pending p, boolean denylisted) {
        Outcome outcome = p.call.apply(cognito);
        if (outcome instanceof Retry retry) {
            scheduleRetry(p, retry);
            pending.merge(key, p, (earlier, later) -> earlier);
            return new LogoutResult(LogoutResult.Status.PENDING, denylisted, Optional.empty());
        }
        settle(p, outcome);
        if (outcome instanceof Refused r) {
            return new LogoutResult(LogoutResult.Status.REFUSED, denylisted,
                    Optional.of(new Refusal(r.cognitoError(), r.clientFault(), r.description())));
        }
        return new LogoutResult(LogoutResult.Status.COMPLETED, denylisted, Optional.empty());
    }

    /** Counts a failed attempt and sets the next one after the backoff. */
    private void scheduleRetry(Pending p, Retry retry) {
        p.attempts++;
        p.nextAttempt = clock.instant().plus(backoff(p.attempts));
        warnings.warn("retry:" + retry.cause(), "cognito-revoke: " + retry.cause()
                + "; the revocation is kept and retried in the background"
                + (retry.operator() == null ? "" : ": " + retry.operator()));
    }

    /** Ends a call for good: the family entry now lives one token lifetime from this moment. */
    private void settle(Pending p, Outcome outcome) {
        if (outcome instanceof Refused r && r.operator() != null) {
            warnings.warn("refused:" + r.cognitoError(), "cognito-revoke: " + r.operator());
        }
        if (p.originJti != null) {
            denylist.add(p.originJti, clock.instant().plus(p.familyLifetime).plus(settings.clockSkew()));
        }
    }

    /**
     * Retries every pending call whose time has come. Runs on the retry thread every second; tests
     * call it after moving the clock.
     */
    public void retryDue() {
        Instant now = clock.instant();
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (p.nextAttempt.isAfter(now)) {
                continue;
            }
            if (p.giveUpAt != null && !now.isBefore(p.giveUpAt)) {
                pending.remove(e.getKey(), p);
                warnings.warn("gave-up", "cognito-revoke: a GlobalSignOut could not reach Cognito before the"
                        + " access token that authorizes it expired; the local cut-off stands");
                continue;
            }
            Outcome outcome = p.call.apply(cognito);
            if (outcome instanceof Retry retry) {
                scheduleRetry(p, retry);
            } else {
                pending.remove(e.getKey(), p);
                settle(p, outcome);
                if (outcome instanceof Done) {
                    LOG.log(System.Logger.Level.INFO, "cognito-revoke: a pending revocation completed after {0} attempts",
                            p.attempts + 1);
                }
            }
        }
    }

    private void retryDueQuietly() {
        try {
            retryDue();
        } catch (RuntimeException e) {
            // Never let the retry thread die: the next tick tries again.
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: retrying pending revocations failed: " + e);
        }
    }

    /** Exponential backoff with jitter: about 1 s, 2 s, 4 s, ... up to 5 minutes. */
    static Duration backoff(int attempts) {
        long max = Math.min(LONGEST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(attempts - 1, 20));
        return Duration.ofMillis(max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1));
    }

    @Override
    public void close() {
        if (retrier != null) {
            retrier.shutdownNow();
        }
        if (!pending.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: stopping with {0} revocations still pending at Cognito",
                    pending.size());
        }
        cognito.close();
    }
}
