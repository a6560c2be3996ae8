package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.InvalidRequestException;
import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.LogoutResult.Refusal;
import io.github.cognitorevoke.PendingRevocationEvent;
import io.github.cognitorevoke.RevocationHealth;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.RevocationUnavailableException;
import io.github.cognitorevoke.TokenRejectedEvent;
import io.github.cognitorevoke.internal.CognitoGateway.Done;
import io.github.cognitorevoke.internal.CognitoGateway.Outcome;
import io.github.cognitorevoke.internal.CognitoGateway.Refused;
import io.github.cognitorevoke.internal.CognitoGateway.Retry;
import io.github.cognitorevoke.internal.PendingRevocations.Admission;
import io.github.cognitorevoke.internal.PendingRevocations.Digest;
import io.github.cognitorevoke.internal.PendingRevocations.Entry;
import io.github.cognitorevoke.internal.PendingRevocations.Kind;
import io.github.cognitorevoke.internal.PendingRevocations.Trust;
import io.github.cognitorevoke.internal.redis.SharedDenylists;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The decisions of cognito-revoke, with no servlet API in sight: what to verify, what to denylist
 * for how long, when to call Cognito, and what to retry.
 *
 * <p>One engine serves one application: the filter and every injection point of the CDI service
 * share it. It owns a single daemon thread that retries pending Cognito calls with exponential
 * backoff; {@link #close()} stops it.
 *
 * <p>Lifetimes of denylist entries (L = {@code maxTokenLifetime}, S = {@code clockSkew}):
 * <ul>
 *   <li>a {@code jti}: the token's {@code exp} + S;</li>
 *   <li>a family ({@code origin_jti}) whose refresh token is revoked, refused or absent:
 *   logout + max(L, the presented token's {@code exp - iat}) + S, since an ID token of the family
 *   may outlive the access token;</li>
 *   <li>a family whose revocation goes pending: the pending entry's deadline + L + S, since the
 *   refresh token can mint siblings until Cognito confirms or the entry is dropped;</li>
 *   <li>a sign-out cut-off: now + L + S.</li>
 * </ul>
 * Entries are only ever added or lengthened by the logout that makes them; a later completion or
 * refusal changes nothing, so no request can cancel, shorten or extend another's entry.
 *
 * <p>Pending work is bounded and isolated as {@link PendingRevocations} describes. Each sweep of
 * the retry thread first drops entries past their deadline, then calls every due verified entry;
 * while Cognito is failing and nothing was due, it probes with the earliest entry (verified
 * first), and when Cognito answers again makes every verified entry due at once. Unverified entries
 * get at most {@link #UNVERIFIED_CALLS_PER_SWEEP} calls per sweep, none once a call of the sweep
 * was asked to retry, so junk never delays a genuine user's revocation.
 *
 * <p>With a {@link PendingStore} (Redis, when {@code redisEncryptionKey} is set) an entry is saved
 * there when it first goes pending and forgotten when it ends; each sweep, right after dropping what
 * is past its deadline, renews this node's lease and takes over what nodes that went away left;
 * {@link #close()} hands this node's entries to the others.
 */
public final class RevocationEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);
    /** Cognito refresh tokens are JWEs of about 1.7 KiB; a longer one is refused before any work. */
    static final int MAX_REFRESH_TOKEN_LENGTH = 8 * 1024;
    /** Calls for unverified work per one-second sweep, well under Cognito's default RevokeToken quota. */
    static final int UNVERIFIED_CALLS_PER_SWEEP = 20;
    /** Until the pool's key set was fetched once, it is fetched in the background this often. */
    static final long KEY_PREFETCH_INTERVAL_SECONDS = 30;

    private final RevocationSettings settings;
    private final Clock clock;
    private final Denylist denylist;
    private final AccessTokenVerifier verifier;
    private final CognitoGateway cognito;
    private final WarnOnce warnings = new WarnOnce(LOG);
    private final PendingRevocations pending;
    private final PendingStore store;
    private final Observers observers = new Observers();
    private final PeekCache peeked = new PeekCache();
    private final ScheduledExecutorService retrier;
    private final ScheduledFuture<?> retryTask;
    private final RevocationMetrics metrics;
    // Set by any attempt that was asked to retry, cleared by any that Cognito answered.
    private volatile boolean cognitoFailing;

    /**
     * Wires an engine.
     *
     * @param settings          the settings
     * @param clock             the time source for expiry, verification, deadlines and backoff
     * @param denylist          where revoked ids are kept
     * @param verifier          verifies access tokens
     * @param cognito           calls Cognito
     * @param retryInBackground whether to start the retry thread (tests drive {@link #retryDue()})
     */
    public RevocationEngine(RevocationSettings settings, Clock clock, Denylist denylist, AccessTokenVerifier verifier,
                            CognitoGateway cognito, boolean retryInBackground) {
        this(settings, clock, denylist, verifier, cognito, retryInBackground, PendingStore.NONE);
    }

    /**
     * Wires an engine whose pending revocations outlive it in a shared store.
     *
     * @param settings          the settings
     * @param clock             the time source for expiry, verification, deadlines and backoff
     * @param denylist          where revoked ids are kept
     * @param verifier          verifies access tokens
     * @param cognito           calls Cognito
     * @param retryInBackground whether to start the retry thread (tests drive {@link #retryDue()})
     * @param store             where pending revocations are kept for other nodes; closed with the engine
     */
    public RevocationEngine(RevocationSettings settings, Clock clock, Denylist denylist, AccessTokenVerifier verifier,
                            CognitoGateway cognito, boolean retryInBackground, PendingStore store) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.denylist = denylist;
        this.verifier = verifier;
        this.cognito = cognito;
        this.pending = new PendingRevocations(settings.maxPendingRevocations(), settings.maxPendingBytes());
        this.metrics = new RevocationMetrics(denylist::size, pending::size, pending::oldestAdmission, clock);
        observers.add(metrics);
        verifier.observeFetches(observers);
        if (retryInBackground) {
            retrier = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cognito-revoke-retry");
                t.setDaemon(true);
                return t;
            });
            retryTask = retrier.scheduleWithFixedDelay(this::retryDueQuietly, 1, 1, TimeUnit.SECONDS);
            // Readiness and a quick first logout: fetch the pool's keys now, again every 30 s until it works.
            retrier.scheduleWithFixedDelay(verifier::prefetchKeys, 0, KEY_PREFETCH_INTERVAL_SECONDS, TimeUnit.SECONDS);
        } else {
            retrier = null;
            retryTask = null;
        }
    }

    /**
     * Builds the default engine: Caffeine denylist (shared through Redis when {@code redisUri} is set:
     * waits for its first sync at most {@code redisSyncTimeout}), Nimbus verifier, SDK client, system clock.
     *
     * @param settings the settings
     * @return the engine
     * @throws io.github.cognitorevoke.RevocationConfigurationException if {@code redisUri} is set and
     *         Lettuce is not on the class path
     */
    public static RevocationEngine create(RevocationSettings settings) {
        Clock clock = Clock.systemUTC();
        CaffeineDenylist local = new CaffeineDenylist(clock);
        // Shared through Redis when redisUri is set; only then is a Lettuce class ever loaded (and the
        // denylist's check that Lettuce is there runs before the pending store touches it).
        Denylist denylist = settings.redisUri().isPresent() ? SharedDenylists.start(settings, clock, local) : local;
        RevocationEngine engine = new RevocationEngine(settings, clock, denylist,
                new AccessTokenVerifier(settings, clock), new SdkCognitoGateway(settings), true,
                PendingStore.open(settings, clock));
        if (settings.auditLog()) {
            engine.observers().add(new AuditLog());
        }
        return engine;
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
     * @throws InvalidRequestException        if the refresh token is longer than 8 KiB, or came alone and
     *                                        cannot be a refresh token by its shape (nothing changed)
     * @throws RevocationUnavailableException if the keys cannot be fetched, or the refresh token came
     *                                        without a verified access token while the caps on such
     *                                        pending work are reached (nothing changed, Cognito not called)
     */
    public LogoutResult logout(String accessToken, String refreshToken) {
        if (accessToken == null && refreshToken == null) {
            throw new IllegalArgumentException("a logout needs an access token, a refresh token or both");
        }
        AccessTokenVerifier.Verified token = accessToken == null ? null : verifier.verify(accessToken);
        LogoutResult result = logout(token, refreshToken);
        if (token == null && result.status() != LogoutResult.Status.COMPLETED) {
            // Anyone can send a refresh token: an audit line or event each would be a flood for the asking.
            observers.loggedOutUnconfirmed(result);
        } else {
            observers.loggedOut(result, token == null ? null : token.sub(), token == null ? null : token.jti());
        }
        return result;
    }

    private LogoutResult logout(AccessTokenVerifier.Verified token, String refreshToken) {
        if (token == null && refreshToken == null) {
            throw new IllegalArgumentException("a logout needs an access token, a refresh token or both");
        }
        if (refreshToken != null && refreshToken.length() > MAX_REFRESH_TOKEN_LENGTH) {
            throw new InvalidRequestException("The refresh_token is longer than 8 KiB: it is not a refresh token");
        }
        if (token == null && !RefreshTokenShape.plausible(refreshToken)) {
            // Unverified junk costs no call; with a verified access token, Cognito's own answer is given.
            throw new InvalidRequestException("The refresh_token is not a refresh token");
        }
        Instant now = clock.instant();
        // Admit before denylisting anything: a refusal at the cap then changes nothing.
        Admission admission = refreshToken == null ? null : admit(refreshToken, token, now);
        boolean denylisted = false;
        List<CompletableFuture<Void>> writes = new ArrayList<>(3);
        if (token != null) {
            denylisted = denylistJti(token, writes);
            if (token.originJti() != null) {
                Duration lifetime = Duration.between(token.issuedAt(), token.expiresAt());
                writes.add(denylist.add(token.originJti(), now.plus(longer(settings.maxTokenLifetime(), lifetime))
                        .plus(settings.clockSkew())));
            } else if (denylisted) {
                warnings.warn("no-origin-jti", "cognito-revoke: access tokens of app client " + settings.clientId()
                        + " carry no origin_jti, so only the presented token is denylisted, not its siblings;"
                        + " token revocation is probably disabled on the app client (or this is an emulator)");
            }
        }
        if (admission == null) {
            return shared(new LogoutResult(LogoutResult.Status.COMPLETED, denylisted, Optional.empty()), writes);
        }
        if (!admission.fresh()) {
            // The same refresh token is already pending: no second call; hold the family as long.
            holdFamily(token, admission.entry(), writes);
            return new LogoutResult(LogoutResult.Status.PENDING, denylisted, Optional.empty());
        }
        return shared(firstAttempt(admission.entry(), token, denylisted, writes), writes);
    }

    /**
     * A completed logout whose entries other nodes cannot know yet (the shared denylist did not
     * confirm them within {@code redisTimeout}) is answered as pending: it stands here, and the
     * shared tier replays it when it can.
     */
    private LogoutResult shared(LogoutResult result, List<CompletableFuture<Void>> writes) {
        if (result.status() != LogoutResult.Status.COMPLETED || confirmed(writes)) {
            return result;
        }
        return new LogoutResult(LogoutResult.Status.PENDING, result.accessTokenDenylisted(), Optional.empty());
    }

    private boolean confirmed(List<CompletableFuture<Void>> writes) {
        if (writes.stream().allMatch(w -> w.isDone() && !w.isCompletedExceptionally())) {
            return true;
        }
        if (!denylist.inSync()) {
            // Known to be cut off from the shared store: say so at once instead of waiting for nothing.
            return false;
        }
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                    .get(settings.redisTimeout().toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Admission admit(String refreshToken, AccessTokenVerifier.Verified token, Instant now) {
        try {
            return pending.admitRevoke(refreshToken, Digest.of(refreshToken),
                    token == null ? null : familyKey(token), now, now.plus(settings.pendingDeadline()));
        } catch (RevocationUnavailableException e) {
            warnings.warn("pending-cap", "cognito-revoke: " + pending.unverifiedCount() + " revocations that came"
                    + " with a refresh token alone (" + pending.unverifiedBytes() + " bytes) wait for Cognito at "
                    + SdkCognitoGateway.endpoint(settings) + "; the cap (" + RevocationSettings.MAX_PENDING_REVOCATIONS
                    + "=" + settings.maxPendingRevocations() + ", " + RevocationSettings.MAX_PENDING_BYTES + "="
                    + settings.maxPendingBytes() + ") is reached, so new ones are answered 503 until Cognito catches up;"
                    + " logouts with a verified access token are not affected");
            throw e;
        }
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The key that bounds a verified caller's pending refresh tokens: its token family. */
    private static String familyKey(AccessTokenVerifier.Verified token) {
        if (token.originJti() != null) {
            return token.originJti();
        }
        return token.jti() != null ? token.jti() : "sub " + token.sub();
    }

    /** Until the pending entry's deadline the refresh token may mint siblings: keep the family past it. */
    private void holdFamily(AccessTokenVerifier.Verified token, Entry entry, List<CompletableFuture<Void>> writes) {
        if (token != null && token.originJti() != null) {
            writes.add(denylist.add(token.originJti(),
                    entry.deadline().plus(settings.maxTokenLifetime()).plus(settings.clockSkew())));
        }
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
        LogoutResult result = signOutEverywhere(token, accessToken);
        observers.signedOutEverywhere(result, token.sub());
        return result;
    }

    private LogoutResult signOutEverywhere(AccessTokenVerifier.Verified token, String accessToken) {
        // GlobalSignOut is authorized by the access token itself: retrying after it expires is futile.
        Admission admission = pending.admitSignOut(token.sub(), accessToken, clock.instant(), token.expiresAt());
        List<CompletableFuture<Void>> writes = new ArrayList<>(2);
        boolean denylisted = denylistJti(token, writes);
        writes.add(cutOff(token.sub()));
        if (!admission.fresh()) {
            return new LogoutResult(LogoutResult.Status.PENDING, denylisted, Optional.empty());
        }
        return shared(firstAttempt(admission.entry(), null, denylisted, writes), writes);
    }

    /** Denylists a verified token's own {@code jti} until a verifier with the skew stops accepting it. */
    private boolean denylistJti(AccessTokenVerifier.Verified token, List<CompletableFuture<Void>> writes) {
        if (token.jti() == null) {
            warnings.warn("no-jti", "cognito-revoke: access tokens of app client " + settings.clientId()
                    + " carry no jti, so a logout cannot denylist them; enable token revocation on the app"
                    + " client (UpdateUserPoolClient, EnableTokenRevocation=true)");
            return false;
        }
        writes.add(denylist.add(token.jti(), token.expiresAt().plus(settings.clockSkew())));
        return true;
    }

    /**
     * Rejects every token of a subject issued until now (no call to Cognito).
     *
     * @param subject the {@code sub} claim
     * @return completes when every node can know the cut-off
     */
    public CompletableFuture<Void> cutOff(String subject) {
        Instant now = clock.instant();
        // Tokens carry whole seconds: reject the current second too, so none issued before slips by.
        return denylist.cutOff(subject, Instant.ofEpochSecond(now.getEpochSecond() + 1),
                now.plus(settings.maxTokenLifetime()).plus(settings.clockSkew()).plusSeconds(1));
    }

    /**
     * Tells whether a bearer JWT (access or ID token) is revoked: its {@code jti} or
     * {@code origin_jti} is denylisted, or its subject was signed out after it was issued. No
     * signature check and no network: this runs on every request. The token may be padded or
     * surrounded by anything: every JWS payload in the text counts ({@link TokenIds#anyMatch}).
     *
     * @param token the compact JWT
     * @return true if revoked; false also for text that is not a JWT
     */
    public boolean isRevoked(String token) {
        ReadBudget budget = ReadBudget.perRequest();
        // A text that needs more slow reads than any issued token is not checked cheaply: refused.
        return anyRevoked(token, budget) || budget.refused();
    }

    /**
     * Starts the search of one request: every text of it is asked through the returned predicate,
     * which shares one {@link ReadBudget}.
     *
     * @return the request's search
     */
    public Search search() {
        return new Search(ReadBudget.perRequest());
    }

    /** The texts of one request, asked one by one; see {@link #search()}. */
    public final class Search implements Predicate<CharSequence> {
        private final ReadBudget budget;

        private Search(ReadBudget budget) {
            this.budget = budget;
        }

        /** @return true if the text holds a revoked token */
        @Override
        public boolean test(CharSequence text) {
            return anyRevoked(text, budget);
        }

        /**
         * @return true if some payload of the request was left unread because the request asked for
         *         more slow reads than its budget: the request must be refused, not passed on
         */
        public boolean incomplete() {
            return budget.refused();
        }
    }

    /**
     * Tells whether a text (a header value, a cookie header, a query string) holds a revoked token
     * anywhere in it.
     *
     * @param text   the text
     * @param budget the slow reads this text may still use; see {@link ReadBudget}
     * @return true if any JWS payload in it is revoked
     */
    public boolean anyRevoked(CharSequence text, ReadBudget budget) {
        if (text instanceof String s) {
            for (TokenIds ids : peeked.ids(s, budget)) {
                if (revoked(ids)) {
                    return true;
                }
            }
            return false;
        }
        return TokenIds.anyMatch(text, this::revoked, budget);
    }

    private boolean revoked(TokenIds ids) {
        return (ids.jti() != null && denylist.contains(ids.jti()))
                || (ids.originJti() != null && denylist.contains(ids.originJti()))
                || (ids.sub() != null && ids.iat() != Long.MIN_VALUE && ids.iat() < denylist.notBeforeEpochSecond(ids.sub()));
    }

    /**
     * Tells the observers that a request was rejected because of a revoked token in a text; the
     * work of finding which id matched is done only when someone listens (the rejection path).
     *
     * @param path the request's context-relative path
     * @param text the text that held the revoked token
     */
    public void reportRejection(String path, CharSequence text) {
        if (!observers.any()) {
            return;
        }
        // The ids were just found for the same text: the table of recent texts has them.
        ReadBudget budget = ReadBudget.perRequest();
        TokenIds[] found = text instanceof String s ? peeked.ids(s, budget) : null;
        if (found == null) {
            TokenIds.anyMatch(text, ids -> reportIfRevoked(path, text, ids, budget), budget);
            return;
        }
        for (TokenIds ids : found) {
            if (reportIfRevoked(path, text, ids, budget)) {
                return;
            }
        }
    }

    /** Reports the first revoked payload only, so a rejected request costs one signature check at most. */
    private boolean reportIfRevoked(String path, CharSequence text, TokenIds ids, ReadBudget budget) {
        TokenRejectedEvent.Match match = ids.jti() != null && denylist.contains(ids.jti())
                ? TokenRejectedEvent.Match.JTI
                : ids.originJti() != null && denylist.contains(ids.originJti()) ? TokenRejectedEvent.Match.ORIGIN_JTI
                : revoked(ids) ? TokenRejectedEvent.Match.SIGNED_OUT : null;
        if (match != null) {
            // The payload's sub is whatever the sender wrote: name a user only for a token we can vouch for.
            String token = observers.usesRejectedSubject() ? TokenIds.compactWith(text, ids, budget) : null;
            observers.rejected(path, token == null ? null : verifier.vouchedSubject(token), match);
        }
        return match != null;
    }

    /** @return the observers of this engine: add one to receive events and metrics */
    public Observers observers() {
        return observers;
    }

    /** @return this engine's counters and gauges (also an observer of it) */
    public RevocationMetrics metrics() {
        return metrics;
    }

    /**
     * Tells whether the background retry worker runs: false once it stopped or died, and for an
     * engine made without one.
     *
     * @return whether pending revocations are being retried
     */
    public boolean retryWorkerAlive() {
        return retryTask != null && !retryTask.isDone() && !retrier.isShutdown();
    }

    /** @return whether the pool's key set was fetched (and parsed) at least once */
    public boolean keysFetchedOnce() {
        return verifier.keysFetchedOnce();
    }

    /**
     * Returns liveness (the retry worker runs) and readiness (the pool's keys were fetched once).
     *
     * @return the state
     */
    public RevocationHealth health() {
        boolean live = retryWorkerAlive();
        boolean keys = keysFetchedOnce();
        boolean inSync = denylist.inSync();
        String detail = (live ? "retry worker running" : "retry worker not running")
                + (keys ? "; signing keys fetched" : "; signing keys not fetched yet from " + settings.jwksUri())
                + "; " + denylist.describe() + "; " + pending.size() + " pending";
        boolean ready = keys && inSync;
        return new RevocationHealth(live, ready, detail);
    }

    /** @return how many Cognito calls are waiting to be retried (verified and unverified) */
    public int pendingCount() {
        return pending.size();
    }

    /** @return the estimated bytes the pending calls hold (tokens plus a fixed overhead per entry) */
    public long pendingBytes() {
        return pending.bytes();
    }

    /** @return how many pending calls came without a verified access token */
    int unverifiedPendingCount() {
        return pending.unverifiedCount();
    }

    /** @return the estimated bytes of the pending calls that came without a verified access token */
    long unverifiedPendingBytes() {
        return pending.unverifiedBytes();
    }

    /** The first call of a fresh entry, made on the caller's thread. */
    private LogoutResult firstAttempt(Entry entry, AccessTokenVerifier.Verified token, boolean denylisted,
                                      List<CompletableFuture<Void>> writes) {
        Outcome outcome = attempt(entry);
        if (outcome instanceof Retry) {
            holdFamily(token, entry, writes);
            return new LogoutResult(LogoutResult.Status.PENDING, denylisted, Optional.empty());
        }
        if (outcome instanceof Refused r) {
            return new LogoutResult(LogoutResult.Status.REFUSED, denylisted,
                    Optional.of(new Refusal(r.reason(), r.cognitoError(), r.description())));
        }
        return new LogoutResult(LogoutResult.Status.COMPLETED, denylisted, Optional.empty());
    }

    /** Calls Cognito for an in-flight entry, then requeues it with backoff or ends it. */
    private Outcome attempt(Entry entry) {
        Outcome outcome;
        long started = System.nanoTime();
        try {
            outcome = entry.kind() == Kind.REVOKE
                    ? cognito.revoke(entry.credential()) : cognito.globalSignOut(entry.credential());
        } catch (RuntimeException e) {
            // A gateway must not throw; if one does, the entry must still be requeued, never leaked in flight.
            outcome = new Retry("calling Cognito failed: " + e.getClass().getSimpleName(), null);
        }
        if (outcome instanceof Retry r && r.refusedIfUnverified() != null && entry.trust() == Trust.UNVERIFIED) {
            outcome = r.refusedIfUnverified();
        }
        observers.cognitoCalled(entry.kind() == Kind.GLOBAL_SIGN_OUT, outcome, System.nanoTime() - started);
        if (outcome instanceof Retry retry) {
            cognitoFailing = true;
            entry.attempts++;
            Instant next = clock.instant().plus(backoff(entry.attempts));
            // Saved while still in flight, so that no sweep can finish it (and remove it) before it is saved.
            if (pending.share(entry)) {
                store.save(stored(entry));
            }
            pending.requeue(entry, next);
            warnings.warn("retry:" + retry.cause(), "cognito-revoke: " + retry.cause()
                    + "; the revocation is kept and retried in the background until its deadline"
                    + (retry.operator() == null ? "" : ": " + retry.operator()));
            return outcome;
        }
        cognitoFailing = false;
        pending.finish(entry);
        if (entry.shared) {
            store.remove(entry.id());
        }
        if (outcome instanceof Refused r && r.operator() != null) {
            warnings.warn("refused:" + r.cognitoError(), "cognito-revoke: " + r.operator());
        }
        if (entry.attempts() > 0) {
            if (outcome instanceof Done) {
                LOG.log(System.Logger.Level.INFO, "cognito-revoke: a pending revocation completed after {0} attempts",
                        entry.attempts() + 1);
            }
            observers.pendingEnded(outcome instanceof Done ? PendingRevocationEvent.Outcome.COMPLETED
                    : PendingRevocationEvent.Outcome.REFUSED, entry.kind() == Kind.GLOBAL_SIGN_OUT, entry.attempts() + 1);
        }
        return outcome;
    }

    /**
     * One sweep of the pending work; runs on the retry thread every second, tests call it after
     * moving the clock. Drops what is past its deadline, serves every due verified entry, probes a
     * failing Cognito when nothing was due, then gives unverified entries a bounded share.
     */
    public void retryDue() {
        Instant now = clock.instant();
        for (Entry dropped : pending.expire(now)) {
            if (dropped.shared) {
                store.release(dropped.id());
            }
            warnDropped(dropped);
        }
        takeOver(now);
        int calls = 0;
        boolean retried = false;
        Entry e;
        while ((e = pending.pollDue(Trust.VERIFIED, now)) != null) {
            calls++;
            retried |= attempt(e) instanceof Retry;
        }
        int unverifiedCalls = 0;
        if (calls == 0 && cognitoFailing && (e = pending.pollEarliest()) != null) {
            unverifiedCalls += e.trust() == Trust.UNVERIFIED ? 1 : 0;
            if (attempt(e) instanceof Retry) {
                retried = true;
            } else {
                // Cognito answers again: every verified revocation goes now, not after its backoff.
                pending.makeDue(Trust.VERIFIED, now);
                while ((e = pending.pollDue(Trust.VERIFIED, now)) != null) {
                    retried |= attempt(e) instanceof Retry;
                }
            }
        }
        // Unverified work only while Cognito keeps up: the first retry of the sweep stops it.
        while (!retried && unverifiedCalls < UNVERIFIED_CALLS_PER_SWEEP
                && (e = pending.pollDue(Trust.UNVERIFIED, now)) != null) {
            unverifiedCalls++;
            retried = attempt(e) instanceof Retry;
        }
    }

    private static PendingStore.Pending stored(Entry e) {
        boolean signOut = e.kind() == Kind.GLOBAL_SIGN_OUT;
        return new PendingStore.Pending(e.id(), signOut, e.trust() == Trust.VERIFIED, signOut ? (String) e.key : null,
                e.credential(), e.deadline());
    }

    /** Renews this node's lease and takes over what nodes that went away left, as their caps allow. */
    private void takeOver(Instant now) {
        for (PendingStore.Pending p : store.sweep(now)) {
            if (!p.deadline().isAfter(now)) {
                store.release(p.id());
                continue;
            }
            Kind kind = p.globalSignOut() ? Kind.GLOBAL_SIGN_OUT : Kind.REVOKE;
            Object key = p.globalSignOut() ? p.subject() : Digest.of(p.credential());
            Trust trust = p.verified() ? Trust.VERIFIED : Trust.UNVERIFIED;
            switch (pending.adopt(kind, key, p.id(), p.credential(), trust, p.deadline(), now)) {
                case NO_ROOM -> store.giveBack(p);
                case REDUNDANT -> store.remove(p.id());
                default -> {
                }
            }
        }
    }

    private void warnDropped(Entry e) {
        observers.pendingEnded(PendingRevocationEvent.Outcome.GAVE_UP, e.kind() == Kind.GLOBAL_SIGN_OUT, e.attempts());
        if (e.kind() == Kind.GLOBAL_SIGN_OUT) {
            warnings.warn("deadline:global-sign-out", "cognito-revoke: a GlobalSignOut could not reach Cognito"
                    + " before the access token that authorizes it expired; it is dropped, the local cut-off stands");
        } else {
            warnings.warn("deadline:" + e.trust(), "cognito-revoke: a RevokeToken ("
                    + (e.trust() == Trust.VERIFIED ? "with a verified access token" : "with a refresh token alone")
                    + ") was not confirmed by Cognito within pendingDeadline=" + settings.pendingDeadline()
                    + " after " + e.attempts() + " attempts; it is dropped and that refresh token may still be valid"
                    + " at Cognito");
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
        long max = Math.min(LONGEST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(Math.max(attempts, 1) - 1, 20));
        return Duration.ofMillis(max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1));
    }

    @Override
    public void close() {
        if (retrier != null) {
            retrier.shutdownNow();
        }
        // Lets another node take over, at its next sweep, what this one saved.
        store.close();
        int left = pending.size();
        if (left > 0) {
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: stopping with {0} revocations still pending at Cognito"
                    + (store == PendingStore.NONE ? "" : "; those saved in Redis are finished by another node"), left);
        }
        cognito.close();
        verifier.close();
        denylist.close();
    }
}
