package io.github.cognitorevoke.internal;

import com.nimbusds.jwt.JWTParser;
import io.github.cognitorevoke.InvalidRequestException;
import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.LogoutResult.Refusal;
import io.github.cognitorevoke.RevocationHealth;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.RevocationUnavailableException;
import io.github.cognitorevoke.internal.CognitoGateway.Done;
import io.github.cognitorevoke.internal.CognitoGateway.Outcome;
import io.github.cognitorevoke.internal.CognitoGateway.Refused;
import io.github.cognitorevoke.internal.CognitoGateway.Retry;
import io.github.cognitorevoke.internal.PendingRevocations.Admission;
import io.github.cognitorevoke.internal.PendingRevocations.Digest;
import io.github.cognitorevoke.internal.PendingRevocations.Entry;
import io.github.cognitorevoke.TokenRejectedEvent.Match;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The decisions of cognito-revoke, with no servlet API in sight: what to verify, what to denylist
 * for how long ({@link Lifetimes}), when to call Cognito, and what to retry ({@link RetryWorker}).
 *
 * <p>One engine serves one application: the filter and every injection point of the CDI service
 * share it. It is built by {@link #builder} from the parts it is handed (an {@link Installation}
 * hands it a deployment's), and {@link #close()} closes them.
 *
 * <p>Entries are only ever added or lengthened by the logout that makes them; a later completion or
 * refusal changes nothing, so no request can cancel, shorten or extend another's entry.
 *
 * <p>Pending work is bounded and isolated as {@link PendingRevocations} describes, and retried as
 * {@link RetryWorker} describes.
 */
public final class RevocationEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");
    /** Cognito refresh tokens are JWEs of about 1.7 KiB; a longer one is refused before any work. */
    static final int MAX_REFRESH_TOKEN_LENGTH = 8 * 1024;

    private final RevocationSettings settings;
    private final Clock clock;
    // Replaced when the app client's settings are read (AppClientCheck).
    private volatile Lifetimes lifetimes;
    private final Denylist denylist;
    private final AccessTokenVerifier verifier;
    private final CognitoGateway cognito;
    private final WarnOnce warnings;
    private final PendingRevocations pending;
    private final Observers observers = new Observers();
    private final PeekCache peeked = new PeekCache();
    private final RetryWorker worker;
    private final RevocationMetrics metrics;
    private final AppClientCheck appClientCheck;

    private RevocationEngine(Builder b) {
        this.settings = b.settings;
        this.clock = b.clock;
        this.lifetimes = Lifetimes.of(settings);
        this.warnings = new WarnOnce(LOG, clock);
        this.denylist = b.denylist != null ? b.denylist : new CaffeineDenylist(clock);
        this.verifier = b.verifier != null ? b.verifier : new AccessTokenVerifier(settings, clock);
        this.cognito = b.cognito != null ? b.cognito : new SdkCognitoGateway(settings);
        this.pending = new PendingRevocations(settings.maxPendingRevocations(), settings.maxPendingBytes());
        this.metrics = new RevocationMetrics(denylist::size, pending::size, pending::oldestAdmission, clock);
        this.worker = new RetryWorker(clock, pending, b.store, cognito, observers, warnings, settings.pendingDeadline());
        this.appClientCheck = new AppClientCheck(settings, cognito, this::appClient, warnings);
        metrics.operations(this::signOutUserReport);
        observers.add(metrics);
        verifier.observeFetches(observers);
        if (b.retryInBackground) {
            worker.start(verifier::prefetchKeys);
        }
    }

    /**
     * Starts building an engine.
     *
     * @param settings the settings
     * @return a builder
     */
    public static Builder builder(RevocationSettings settings) {
        return new Builder(settings);
    }

    /**
     * Builds an engine from the parts it is handed; what is not handed is made from the settings.
     * The engine closes every part it is handed.
     */
    public static final class Builder {
        private final RevocationSettings settings;
        private Clock clock = Clock.systemUTC();
        private Denylist denylist;
        private AccessTokenVerifier verifier;
        private CognitoGateway cognito;
        private PendingStore store = PendingStore.NONE;
        private boolean retryInBackground;

        private Builder(RevocationSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /**
         * @param clock the time source for expiry, verification, deadlines and backoff; default the system's (UTC)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param denylist where revoked ids are kept; default a {@link CaffeineDenylist} on the clock
         * @return this builder
         */
        public Builder denylist(Denylist denylist) {
            this.denylist = Objects.requireNonNull(denylist, "denylist");
            return this;
        }

        /**
         * @param verifier verifies access tokens; default one made from the settings and the clock
         * @return this builder
         */
        public Builder verifier(AccessTokenVerifier verifier) {
            this.verifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * @param cognito calls Cognito; default the AWS SDK's client
         * @return this builder
         */
        public Builder cognito(CognitoGateway cognito) {
            this.cognito = Objects.requireNonNull(cognito, "cognito");
            return this;
        }

        /**
         * @param store where pending revocations are kept for other nodes; default {@link PendingStore#NONE}
         * @return this builder
         */
        public Builder pendingStore(PendingStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Starts the retry thread (a sweep every second, the key prefetch) with the engine; without
         * it, pending work moves only when {@link RevocationEngine#retryDue()} is called (tests).
         *
         * @return this builder
         */
        public Builder retryInBackground() {
            this.retryInBackground = true;
            return this;
        }

        /** @return the engine */
        public RevocationEngine build() {
            return new RevocationEngine(this);
        }
    }

    /** @return the settings */
    public RevocationSettings settings() {
        return settings;
    }

    /**
     * Reads the app client's settings where AWS credentials are available (bounded by
     * {@code cognitoTimeout}; without credentials one INFO line), and again every hour on the retry
     * thread; the entry lifetimes follow the validities read.
     *
     * @throws io.github.cognitorevoke.RevocationConfigurationException if the app client has token
     *         revocation switched off, or does not allow the configured {@code logoutUri}
     */
    public void readAppClient() {
        appClientCheck.atDeployment();
        worker.every(AppClientCheck.INTERVAL, appClientCheck::again);
    }

    /** Reads the app client again now, as the hourly read does (tests). */
    void readAppClientAgain() {
        appClientCheck.again();
    }

    /** Takes the app client as read: the entry lifetimes follow its validities from now on. */
    private void appClient(AppClient client) {
        lifetimes = Lifetimes.of(settings).with(client, clock.instant());
    }

    /** @return the entry-lifetime rules in force */
    Lifetimes lifetimes() {
        return lifetimes;
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
        LogoutResult result = signIn(logout(token, refreshToken), token);
        if (token == null && result.status() != LogoutResult.Status.COMPLETED) {
            // Anyone can send a refresh token: an audit line or event each would be a flood for the asking.
            observers.loggedOutUnconfirmed(result);
        } else {
            observers.loggedOut(result, token == null ? null : token.sub(), token == null ? null : token.jti());
        }
        return result;
    }

    /**
     * Says in the result that the token's sign-in was ended (every logout with a verified token that
     * carries {@code auth_time} ends it); a refusal's description says it too, since Cognito's
     * refusal (of a refresh token already rotated away, say) did not keep the sign-in alive here.
     */
    private static LogoutResult signIn(LogoutResult result, AccessTokenVerifier.Verified token) {
        if (token == null || token.authTime() == Long.MIN_VALUE || token.sub() == null || token.sub().isEmpty()) {
            return result;
        }
        Optional<Refusal> refusal = result.refusal().map(r -> new Refusal(r.reason(), r.cognitoError(),
                r.description() + "; every token of this sign-in is rejected here all the same"));
        return new LogoutResult(result.status(), result.accessTokenDenylisted(), refusal, true);
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
            endSignIn(token, lifetimes.signInIssuedUntil(now), lifetimes.signIn(now, token.issuedAt(), token.expiresAt()),
                    writes);
            if (token.originJti() != null) {
                writes.add(denylist.add(token.originJti(), lifetimes.family(now, token.issuedAt(), token.expiresAt())));
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
            writes.add(denylist.add(token.originJti(), lifetimes.pendingFamily(entry.deadline())));
        }
        if (token != null) {
            endSignIn(token, lifetimes.pendingSignInIssuedUntil(entry.deadline()), lifetimes.pendingSignIn(entry.deadline()),
                    writes);
        }
    }

    /**
     * Ends the verified token's sign-in ({@code sub} + {@code auth_time}): every token of it issued
     * until {@code issuedUntil}, however its refresh token rotated and whatever became of
     * {@code origin_jti}, is rejected until {@code until}. Only a verified token writes this entry,
     * and only for its own sign-in.
     *
     * @return whether the entry was written (false for a token without {@code auth_time})
     */
    private boolean endSignIn(AccessTokenVerifier.Verified token, long issuedUntil, Instant until,
                              List<CompletableFuture<Void>> writes) {
        if (token.authTime() == Long.MIN_VALUE || token.sub() == null || token.sub().isEmpty()) {
            warnings.warn("no-auth-time", "cognito-revoke: access tokens of app client " + settings.clientId()
                    + " carry no auth_time, so a logout ends only the presented token's family (origin_jti), not"
                    + " every token of its sign-in; with refresh-token rotation, tokens refreshed before the"
                    + " logout may stay accepted until they expire (an emulator, or not a Cognito token)");
            return false;
        }
        writes.add(denylist.endSignIn(token.sub(), token.authTime(), issuedUntil, until));
        return true;
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

    /**
     * Signs a user out everywhere as an administrator, by username: finds the user's {@code sub}
     * ({@code AdminGetUser}), rejects every token of that {@code sub} issued until now (shared like
     * every entry), then calls {@code AdminUserGlobalSignOut}. Both calls need AWS credentials.
     * Not queued for retries: an administrator is there to call again (the operation is idempotent).
     *
     * @param username the username
     * @return COMPLETED, or REFUSED when Cognito refused the sign-out (the cut-off stands)
     * @throws InvalidRequestException        if the pool has no such user (nothing changed)
     * @throws RevocationUnavailableException if there are no credentials, they may not find the
     *                                        user, or Cognito failed (nothing changed); or if the
     *                                        sign-out call failed after the cut-off was made (the
     *                                        message says so)
     */
    public LogoutResult signOutUser(String username) {
        String sub;
        try {
            sub = cognito.subjectOf(username);
        } catch (AdminCallException e) {
            warnAdmin(e);
            if (e.why() == AdminCallException.Cause.NOT_FOUND && e.error() != CognitoError.UNKNOWN_CLIENT) {
                throw new InvalidRequestException("No such user in user pool " + settings.userPoolId() + ": "
                        + e.getMessage() + "; nothing changed");
            }
            throw new RevocationUnavailableException("The user could not be looked up: " + e.getMessage()
                    + "; nothing changed");
        }
        CompletableFuture<Void> write = cutOff(sub);
        long started = System.nanoTime();
        Outcome outcome;
        try {
            outcome = cognito.adminSignOut(username);
        } catch (AdminCallException e) {
            warnAdmin(e);
            outcome = new Refused(LogoutResult.Refusal.Reason.CLIENT_MISCONFIGURED,
                    e.error() == null ? e.why().name() : e.error().name(),
                    "The identity provider did not sign the user out: " + e.getMessage(), null);
        }
        observers.cognitoCalled(true, outcome, System.nanoTime() - started);
        if (outcome instanceof Retry r) {
            throw new RevocationUnavailableException("Every token of the user (sub " + sub + ") issued until now is"
                    + " rejected, but Cognito's AdminUserGlobalSignOut did not happen (" + r.cause() + "), so the"
                    + " user's refresh tokens still work; call again");
        }
        LogoutResult result = outcome instanceof Refused r
                ? new LogoutResult(LogoutResult.Status.REFUSED, false,
                        Optional.of(new Refusal(r.reason(), r.cognitoError(), r.description())))
                : shared(new LogoutResult(LogoutResult.Status.COMPLETED, false, Optional.empty()), List.of(write));
        if (outcome instanceof Done) {
            warnings.cleared(SdkCognitoGateway.WARN_ADMIN);
        }
        observers.signedOutByAdministrator(result, sub);
        return result;
    }

    /**
     * One warning per cause that an operator must fix (missing IAM permission, unknown app client,
     * the setup's refusals); the administrator who asked reads the message either way, and a
     * passing failure or an unknown user is theirs to act on, not the log's.
     */
    private void warnAdmin(AdminCallException e) {
        CognitoError row = e.error();
        if (row != null && row.signedMustFix()) {
            warnings.warn(row.warningKey(SdkCognitoGateway.WARN_ADMIN), "cognito-revoke: signing a user out by"
                    + " username failed: " + e.getMessage());
        }
    }

    /**
     * {@link #signOutUser} for an operator's console (JMX): never throws, says what happened.
     *
     * @param username the username
     * @return one line: what was done, or why nothing (or only the cut-off) was
     */
    String signOutUserReport(String username) {
        if (username == null || username.isBlank()) {
            return "Nothing done: give a username";
        }
        try {
            LogoutResult r = signOutUser(username.strip());
            return switch (r.status()) {
                case COMPLETED -> "Signed out: every token of the user issued until now is rejected, and Cognito ended"
                        + " the user's refresh tokens";
                case PENDING -> "Signed out here; other nodes learn the cut-off when the shared denylist is back,"
                        + " and Cognito ended the user's refresh tokens";
                case REFUSED -> "Every token of the user issued until now is rejected, but Cognito refused the"
                        + " sign-out: " + r.refusal().orElseThrow().description();
            };
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Denylists a verified token's own {@code jti} until a verifier with the skew stops accepting it. */
    private boolean denylistJti(AccessTokenVerifier.Verified token, List<CompletableFuture<Void>> writes) {
        if (token.jti() == null) {
            warnings.warn("no-jti", "cognito-revoke: access tokens of app client " + settings.clientId()
                    + " carry no jti, so a logout cannot denylist them; enable token revocation on the app"
                    + " client (UpdateUserPoolClient, EnableTokenRevocation=true)");
            return false;
        }
        writes.add(denylist.add(token.jti(), lifetimes.jti(token.expiresAt())));
        return true;
    }

    /**
     * Rejects every token of a subject issued until now (no call to Cognito).
     *
     * @param subject the {@code sub} claim
     * @return completes when every node can know the cut-off
     */
    public CompletableFuture<Void> cutOff(String subject) {
        Lifetimes.CutOff cut = lifetimes.cutOff(clock.instant());
        return denylist.cutOff(subject, cut.notBefore(), cut.until());
    }

    /**
     * Tells whether a bearer JWT (access or ID token) is revoked: its {@code jti} or
     * {@code origin_jti} is denylisted, its sign-in ({@code sub} + {@code auth_time}) was logged
     * out, or its subject was signed out after it was issued. No
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
     * Whether a token's {@code exp} lies further back than {@code clockSkew}, read without
     * verifying anything: a logout leaves such an access token (a session's, which the server's
     * OIDC login keeps after it expired) out and logs out with the refresh token alone, instead of
     * refusing with 401. Leaving a token out never denylists more, so a forged {@code exp} gains
     * nothing.
     *
     * @param token a compact JWT
     * @return true if it has an {@code exp} that has passed; false for anything else
     */
    public boolean expired(String token) {
        if (token.length() > AccessTokenVerifier.MAX_TOKEN_LENGTH) {
            return false;
        }
        try {
            Date exp = JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
            return exp != null && exp.toInstant().plus(settings.clockSkew()).isBefore(clock.instant());
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Starts the search of one request: every text of it is asked through the returned predicate,
     * which shares one {@link ReadBudget}.
     *
     * @return the request's search
     */
    public Search search() {
        return new Search();
    }

    /**
     * The texts of one request, asked one by one; see {@link #search()}. It is the request's
     * {@link ReadBudget} itself: one object a request, not two.
     */
    public final class Search extends ReadBudget implements Predicate<CharSequence> {

        private Search() {
            super(ReadBudget.PER_REQUEST);
        }

        /** The first revoked payload found, kept for the report: the rejection path reads nothing twice. */
        private TokenIds matched;

        /** @return true if the text holds a revoked token */
        @Override
        public boolean test(CharSequence text) {
            matched = revokedIds(text, this);
            return matched != null;
        }

        /**
         * Tells the observers that the request was rejected for the revoked token the last
         * {@link #test} found; nothing if it found none.
         *
         * @param path the request's context-relative path
         * @param text the text {@link #test} accepted
         */
        public void report(String path, CharSequence text) {
            if (matched != null && observers.any()) {
                reportIfRevoked(path, text, matched, this);
            }
        }

        /**
         * @return true if some payload of the request was left unread because the request asked for
         *         more slow reads than its budget: the request must be refused, not passed on
         */
        public boolean incomplete() {
            return refused();
        }

        /**
         * For a session ended by the revoked token the last {@link #test} found: how long the browser
         * must wait before it signs in again, so that the tokens the identity provider then issues are
         * not rejected as well; see {@link RevocationEngine#signInAgainAfter}.
         *
         * @return 0 to sign in again at once, else the seconds to wait (1 to {@link #MAX_SIGN_IN_WAIT})
         */
        public int signInAgainAfter() {
            return RevocationEngine.this.signInAgainAfter(matched);
        }
    }

    /** The longest wait {@link Search#signInAgainAfter} answers: a rule that lasts longer is asked again that often. */
    public static final int MAX_SIGN_IN_WAIT = 60;

    /**
     * How many seconds old a rejected token may be and still show that the identity provider is
     * issuing tokens the rule rejects right now (a sign-in again moments ago, on a clock behind ours).
     */
    static final long JUST_ISSUED = 10;

    /**
     * How long a browser whose session a revoked token ended must wait before it signs in again.
     * A new sign-in (through a managed-login session that is still alive, it completes at once) gets
     * tokens of a new family, so a token rejected for its own {@code jti} or {@code origin_jti} needs
     * no wait. A rule of its user does: a sign-out everywhere rejects every token issued until the end
     * of its second and an ended sign-in every token of that sign-in until its bound, and tokens carry
     * whole seconds, so the tokens issued again within that second (or bound) are rejected too, and
     * an immediate sign-in again would go round until it has passed.
     *
     * <ul>
     *   <li>a token of the same user and sign-in issued now would be rejected: the seconds until one
     *       would not (at most {@link #MAX_SIGN_IN_WAIT});</li>
     *   <li>else, if the rejected token itself was issued in the last {@link #JUST_ISSUED} seconds, the
     *       identity provider's clock may lag ours and still issue rejected tokens: one second;</li>
     *   <li>else none.</li>
     * </ul>
     * Local lookups only (a handful on this rejection path), no network.
     *
     * @param ids the rejected token's ids, or null
     * @return 0 for no wait, else 1 to {@link #MAX_SIGN_IN_WAIT} seconds
     */
    int signInAgainAfter(TokenIds ids) {
        if (ids == null || ids.sub() == null || ids.iat() == Long.MIN_VALUE || !rejectsIssuedAt(ids, ids.iat())) {
            return 0;
        }
        long now = clock.instant().getEpochSecond();
        if (!rejectsIssuedAt(ids, now)) {
            return ids.iat() >= now - JUST_ISSUED ? 1 : 0;
        }
        if (rejectsIssuedAt(ids, now + MAX_SIGN_IN_WAIT)) {
            return MAX_SIGN_IN_WAIT;
        }
        // The first second whose tokens pass: each rule rejects up to a bound, so the search is a bisection.
        int low = 1;
        int high = MAX_SIGN_IN_WAIT;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (rejectsIssuedAt(ids, now + mid)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Whether the user's rules (cut-off, ended sign-in) reject a token of this sign-in issued at {@code iat}. */
    private boolean rejectsIssuedAt(TokenIds ids, long iat) {
        return denylist.subjectMatch(ids.sub(), iat, ids.authTime()) != Denylist.NO_MATCH;
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
        return revokedIds(text, budget) != null;
    }

    /** The ids of the first revoked payload in the text, or null. */
    private TokenIds revokedIds(CharSequence text, ReadBudget budget) {
        if (text instanceof String s) {
            for (TokenIds ids : peeked.ids(s, budget)) {
                // match() itself, no call in between: the hottest loop inlines as deep as it can.
                if (match(ids) != null) {
                    return ids;
                }
            }
            return null;
        }
        TokenIds[] hit = new TokenIds[1];
        TokenIds.anyMatch(text, ids -> match(ids) != null && (hit[0] = ids) != null, budget);
        return hit[0];
    }

    /** Which id of a payload is revoked, if any: the one rule of both the check and the report. */
    private Match match(TokenIds ids) {
        // Every rule asked at once (the denylist overlaps the lookups); which one, only for a revoked token.
        int revoked = denylist.revoked(ids);
        return revoked == 0 ? null : (revoked & Denylist.JTI) != 0 ? Match.JTI
                : (revoked & Denylist.ORIGIN_JTI) != 0 ? Match.ORIGIN_JTI
                : (revoked & Denylist.SIGNED_OUT) != 0 ? Match.SIGNED_OUT : Match.SIGN_IN;
    }

    /**
     * Searches a text as one request does and, if it holds a revoked token, tells the observers
     * that the request was rejected. The filter reports through its request's {@link Search}
     * instead, which already knows the revoked payload.
     *
     * @param path the request's context-relative path
     * @param text the text that held the revoked token
     */
    public void reportRejection(String path, CharSequence text) {
        Search search = search();
        if (search.test(text)) {
            search.report(path, text);
        }
    }

    /** Reports the first revoked payload only, so a rejected request costs one signature check at most. */
    private boolean reportIfRevoked(String path, CharSequence text, TokenIds ids, ReadBudget budget) {
        Match match = match(ids);
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
        return worker.alive();
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
        Outcome outcome = worker.attempt(entry);
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

    /**
     * One sweep of the pending work; runs on the retry thread every second, tests call it after
     * moving the clock. Drops what is past its deadline, serves every due verified entry, probes a
     * failing Cognito when nothing was due, then gives unverified entries a bounded share.
     */
    public void retryDue() {
        worker.sweep();
    }

    @Override
    public void close() {
        worker.close();
        cognito.close();
        verifier.close();
        denylist.close();
    }
}
