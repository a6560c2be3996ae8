package io.github.cognitorevoke.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A wire-level stand-in for the Cognito user pool API, for tests: a JDK {@code HttpServer} on
 * 127.0.0.1 (random port) that speaks AWS JSON 1.1 like {@code cognito-idp} does, signs tokens like
 * a user pool does, serves the pool's JWKS, and lets a test inject failures and inspect every
 * {@code RevokeToken} call. Point the SDK at it with {@code endpointOverride(stub.endpoint())} and
 * the verifier at {@link #issuer()} / {@link #jwksUri()}.
 *
 * <pre>{@code
 * try (CognitoStub cognito = CognitoStub.start()) {
 *     cognito.addClient("app", null, true);
 *     StubTokens tokens = cognito.login("app", "alice");
 *     // ... exercise the code under test against cognito.endpoint() ...
 *     assertThat(cognito.isRevoked(tokens.refreshToken())).isTrue();
 * }
 * }</pre>
 *
 * <h2>Operations</h2>
 * {@code POST /} with {@code X-Amz-Target: AWSCognitoIdentityProviderService.<Op>} and
 * {@code Content-Type: application/x-amz-json-1.1}. Errors are HTTP 400 (500 for
 * {@code InternalErrorException}) with {@code {"__type":"<Name>","message":"..."}}.
 * <ul>
 *   <li>{@code RevokeToken} {@code {Token, ClientId, ClientSecret?}} answers 200 {@code {}} and
 *       revokes the refresh token's family: later refreshes fail. Checks, in this order:
 *       <ol>
 *         <li>{@code Token} or {@code ClientId} missing or empty: {@code InvalidParameterException}
 *             (assumption: Cognito validates required members with this error).</li>
 *         <li>unknown {@code ClientId}: {@code UnauthorizedException} by default (COGNITO.md maps
 *             "wrong client" to it; the exact error is unconfirmed, and cognito-local answers
 *             {@code ResourceNotFoundException}, which {@link #setUnknownClientError} switches to, so
 *             both sides can be tested).</li>
 *         <li>client has a secret and {@code ClientSecret} is missing or wrong, or the client has no
 *             secret and one is sent: {@code UnauthorizedException} (COGNITO.md: wrong client
 *             secret; the no-secret-client case is an assumption).</li>
 *         <li>token revocation disabled on the client: {@code UnsupportedOperationException}
 *             (COGNITO.md).</li>
 *         <li>the token is a JWS with three parts (an access or ID token):
 *             {@code UnsupportedTokenTypeException} (COGNITO.md: "not a refresh token").</li>
 *         <li>the token is not shaped like a Cognito refresh token (five dot-separated base64url
 *             parts whose header has {@code enc}): {@code InvalidParameterException} (COGNITO.md:
 *             bad input; the exact split between this and the previous error is an assumption).</li>
 *         <li>refresh-token shaped but never issued by this stub: {@code InvalidParameterException}
 *             (assumption).</li>
 *         <li>issued to another client of the pool: {@code UnauthorizedException} (COGNITO.md: the
 *             token must be revoked with the client id it was issued to; the error is an
 *             assumption).</li>
 *         <li>already revoked: 200 again, idempotent (COGNITO.md).</li>
 *       </ol>
 *       The order of the checks is an assumption. Whether the request was signed is recorded, never
 *       enforced: Cognito does not evaluate IAM for RevokeToken (COGNITO.md).</li>
 *   <li>{@code InitiateAuth} with {@code USER_PASSWORD_AUTH} (users from {@link #addUser}) and
 *       {@code REFRESH_TOKEN_AUTH} (alias {@code REFRESH_TOKEN}), answering
 *       {@code {"AuthenticationResult":{"AccessToken","IdToken","RefreshToken"?,"ExpiresIn","TokenType":"Bearer"},
 *       "ChallengeParameters":{}}}; the refresh token only for password auth. Errors: unknown client
 *       {@code ResourceNotFoundException}; wrong user or password, unknown refresh token, a refresh
 *       token of another client, and a revoked one {@code NotAuthorizedException} ("Refresh Token
 *       has been revoked", as Cognito words it). For a client with a secret, {@code SECRET_HASH}
 *       (Base64 HMAC-SHA256 keyed with the secret over username + client id) is checked; for a
 *       refresh, a hash over the username or over the sub is accepted.</li>
 *   <li>{@code GlobalSignOut} {@code {AccessToken}}: revokes every refresh token of the token's
 *       user when the access token verifies (else {@code NotAuthorizedException}).</li>
 *   <li>Any other operation, or a missing target: {@code UnknownOperationException} (the AWS JSON
 *       protocol's name; assumption for Cognito). A body that is not a JSON object:
 *       {@code SerializationException}. A {@code Content-Type} other than
 *       {@code application/x-amz-json-1.1}: {@code UnknownOperationException} (assumption; the
 *       point is that a hand-made request with the wrong type fails loudly).</li>
 *   <li>{@code GET /<poolId>/.well-known/jwks.json}: the JWKS, counted by {@link #jwksFetchCount}.</li>
 * </ul>
 *
 * <h2>Tokens</h2>
 * Access tokens: RS256, header {@code kid} (no {@code typ}), claims {@code sub} (a stable UUID per
 * username), {@code iss}, {@code client_id}, {@code origin_jti}, {@code event_id},
 * {@code token_use=access}, {@code scope}, {@code auth_time}, {@code exp}, {@code iat}, {@code jti},
 * {@code username}, {@code version}; no {@code aud}. ID tokens: {@code sub}, {@code aud} = client id,
 * {@code cognito:username}, {@code origin_jti}, {@code event_id}, {@code token_use=id},
 * {@code auth_time}, {@code iss}, {@code exp}, {@code iat}, {@code jti}. {@code jti} and
 * {@code origin_jti} appear only when the client has token revocation enabled (COGNITO.md and the
 * AWS documentation: enabling revocation adds both). One {@code origin_jti} per refresh token: the
 * login's tokens and every refresh share it, each token has its own {@code jti}. Refresh tokens are
 * opaque, shaped like Cognito's (a five-part JWE-like string of random bytes), never a JWS; refresh
 * does not rotate them. Times come from the {@link Clock} given at start.
 *
 * <h2>Injected failures</h2>
 * {@link #failNext}, {@link #resetConnectionNext} and {@link #delayNext} apply to {@code RevokeToken}
 * requests only (InitiateAuth and the JWKS are never affected by them; see {@link #failJwksNext}).
 * Failures and resets form one queue, consumed in the order they were requested; delays form their
 * own queue and are applied first, so a delay can be combined with a failure. An injected failure or
 * reset revokes nothing and is still recorded in {@link #revokeCalls()}.
 *
 * <h2>Latency</h2>
 * The JDK server answers each call about 47 ms late (Nagle's algorithm) unless the system property
 * {@code sun.net.httpserver.nodelay} is {@code true}. {@link #start} sets it if unset, but the JDK
 * reads it once per JVM, when the first {@code HttpServer} is created: if another server started
 * earlier, pass {@code -Dsun.net.httpserver.nodelay=true} to the test JVM instead.
 *
 * <p>Thread-safe: the code under test may call from any thread. Nothing is logged except failures
 * of the stub itself, and never a token or a secret.
 */
public final class CognitoStub implements AutoCloseable {

    /** The {@code X-Amz-Target} prefix of every Cognito user pool operation. */
    public static final String TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
    /** The content type of the AWS JSON 1.1 protocol, for requests and answers. */
    public static final String AMZ_JSON_1_1 = "application/x-amz-json-1.1";
    /** The access (and ID) token validity a new stub starts with, Cognito's default. */
    public static final Duration DEFAULT_ACCESS_TOKEN_VALIDITY = Duration.ofHours(1);
    /** The shortest access token validity Cognito allows. */
    public static final Duration MIN_ACCESS_TOKEN_VALIDITY = Duration.ofMinutes(5);
    /** The longest access token validity Cognito allows. */
    public static final Duration MAX_ACCESS_TOKEN_VALIDITY = Duration.ofDays(1);
    /** The {@code scope} claim of access tokens from the user pool API (no OAuth scopes). */
    public static final String ACCESS_TOKEN_SCOPE = "aws.cognito.signin.user.admin";

    private static final System.Logger LOG = System.getLogger(CognitoStub.class.getName());
    private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    private static final String DEFAULT_REGION = "eu-west-1";
    private static final Pattern ERROR_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.#:]*");
    // base64url of {"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}, the header of Cognito refresh tokens
    private static final String REFRESH_TOKEN_HEADER =
            Base64URL.encode("{\"cty\":\"JWT\",\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\"}").toString();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger SERVER_COUNT = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI endpoint;
    private final String userPoolId;
    private final String region;
    private final String issuer;
    private final String jwksPath;
    private final Clock clock;
    private final JwtFactory jwtFactory = new JwtFactory(this);
    private final AtomicInteger jwksFetches = new AtomicInteger();

    // All mutable state below is guarded by `this`.
    private final List<RSAKey> keys = new ArrayList<>(); // published; the last one signs
    private final Map<String, Client> clients = new HashMap<>();
    private final Map<String, User> users = new HashMap<>();
    private final Map<String, Family> families = new HashMap<>(); // by refresh token
    private int globalSignOuts;
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Deque<Duration> delays = new ArrayDeque<>();
    private final List<RevokeCall> revokeCalls = new ArrayList<>();
    private Duration accessTokenValidity = DEFAULT_ACCESS_TOKEN_VALIDITY;
    private String unknownClientError = "UnauthorizedException";
    private int jwksFailures;
    private boolean closed;

    private CognitoStub(Builder builder) {
        this.clock = builder.clock;
        this.userPoolId = builder.userPoolId != null ? builder.userPoolId : defaultPoolId(builder.region);
        this.region = builder.region != null ? builder.region : regionOf(userPoolId);
        keys.add(newKey());
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        int serverNumber = SERVER_COUNT.incrementAndGet();
        AtomicInteger threadCount = new AtomicInteger();
        ThreadFactory threads = r -> {
            // daemon: a test that forgets close() must not keep the JVM alive
            Thread t = new Thread(r, "cognito-stub-" + serverNumber + "-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // a pool, not a single thread: delayed calls must not hold up the others
        this.executor = Executors.newCachedThreadPool(threads);
        try {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            this.server = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot bind the Cognito stub to 127.0.0.1", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        this.issuer = endpoint + "/" + userPoolId;
        this.jwksPath = "/" + userPoolId + "/.well-known/jwks.json";
    }

    /**
     * Starts a stub with a random pool id in {@code eu-west-1} and the system UTC clock.
     *
     * @return the running stub; close it when done
     */
    public static CognitoStub start() {
        return builder().start();
    }

    /**
     * Starts a stub whose tokens take {@code iat}, {@code exp} and {@code auth_time} from a clock,
     * so a test can mint tokens in the past or the future.
     *
     * @param clock the clock for token times
     * @return the running stub; close it when done
     */
    public static CognitoStub start(Clock clock) {
        return builder().clock(clock).start();
    }

    /**
     * A builder for a stub with a chosen pool id, region or clock.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@link CognitoStub}; get one from {@link CognitoStub#builder()}. */
    public static final class Builder {
        private String userPoolId;
        private String region;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The user pool id; default {@code <region>_Stub} plus five random letters and digits.
         *
         * @param userPoolId e.g. {@code eu-central-1_AbCdEfGhI}, or an emulator-style
         *     {@code local_4xK2abcd}; letters, digits, {@code -} and {@code _} only (it is a URL path
         *     segment)
         * @return this builder
         */
        public Builder userPoolId(String userPoolId) {
            Objects.requireNonNull(userPoolId, "userPoolId");
            if (!userPoolId.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("userPoolId must be letters, digits, '-' and '_': " + userPoolId);
            }
            this.userPoolId = userPoolId;
            return this;
        }

        /**
         * The region; default: the part of the pool id before {@code _}, or {@code eu-west-1}.
         *
         * @param region e.g. {@code eu-central-1}
         * @return this builder
         */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /**
         * The clock for token times; default {@link Clock#systemUTC()}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Starts the stub.
         *
         * @return the running stub; close it when done
         */
        public CognitoStub start() {
            return new CognitoStub(this);
        }
    }

    // ---------------------------------------------------------------- addresses

    /**
     * The endpoint to give the SDK ({@code endpointOverride}).
     *
     * @return {@code http://127.0.0.1:<port>}, no path
     */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * The user pool id.
     *
     * @return e.g. {@code eu-west-1_StubA1b2C}
     */
    public String userPoolId() {
        return userPoolId;
    }

    /**
     * The region (for the SDK's {@code Region.of}); the stub itself ignores it.
     *
     * @return e.g. {@code eu-west-1}
     */
    public String region() {
        return region;
    }

    /**
     * The {@code iss} of every token the stub signs: like an emulator's, not
     * {@code https://cognito-idp.<region>.amazonaws.com/<poolId>}.
     *
     * @return {@link #endpoint()} + {@code /} + {@link #userPoolId()}
     */
    public String issuer() {
        return issuer;
    }

    /**
     * Where the stub serves the pool's JWKS.
     *
     * @return {@link #issuer()} + {@code /.well-known/jwks.json}
     */
    public String jwksUri() {
        return issuer + "/.well-known/jwks.json";
    }

    /**
     * The helper for hand-made and hostile tokens around this stub's key and issuer.
     *
     * @return the factory (one per stub)
     */
    public JwtFactory jwt() {
        return jwtFactory;
    }

    // ---------------------------------------------------------------- keys

    /**
     * The {@code kid} of the key that signs new tokens.
     *
     * @return the current key id
     */
    public synchronized String currentKid() {
        return signingKey().getKeyID();
    }

    /**
     * Adds a new RSA key, publishes it in the JWKS next to the old ones and signs every later token
     * with it: a verifier that cached the JWKS meets an unknown {@code kid} and must refetch.
     *
     * @return the new key's {@code kid}
     */
    public String rotateKey() {
        RSAKey key = newKey(); // slow (RSA generation): outside the lock
        synchronized (this) {
            keys.add(key);
        }
        return key.getKeyID();
    }

    /**
     * Stops publishing a key; tokens it signed no longer verify after a refetch. The signing key
     * cannot be retired: rotate first.
     *
     * @param kid the key id to drop from the JWKS
     */
    public synchronized void retireKey(String kid) {
        if (signingKey().getKeyID().equals(kid)) {
            throw new IllegalArgumentException("cannot retire the signing key; call rotateKey() first");
        }
        if (!keys.removeIf(k -> k.getKeyID().equals(kid))) {
            throw new IllegalArgumentException("no published key with kid " + kid);
        }
    }

    /**
     * The JWKS as served now (public keys only).
     *
     * @return the key set
     */
    public synchronized JWKSet publicJwks() {
        List<JWK> published = new ArrayList<>();
        for (RSAKey key : keys) {
            published.add(key.toPublicJWK());
        }
        return new JWKSet(published);
    }

    /**
     * How many times the JWKS was requested over HTTP, including requests failed by
     * {@link #failJwksNext}.
     *
     * @return the number of {@code GET} requests for {@link #jwksUri()}
     */
    public int jwksFetchCount() {
        return jwksFetches.get();
    }

    /**
     * Answers the next JWKS requests with HTTP 500, to test a verifier's "key set unavailable" path
     * (an infrastructure failure, not a bad token).
     *
     * @param times how many requests fail
     */
    public synchronized void failJwksNext(int times) {
        requirePositive(times);
        jwksFailures += times;
    }

    synchronized RSAKey signingKey() {
        return keys.get(keys.size() - 1);
    }

    // ---------------------------------------------------------------- pool setup

    /**
     * Registers an app client.
     *
     * @param clientId the client id
     * @param clientSecretOrNull the client secret, or {@code null} for a public client
     * @param revocationEnabled whether token revocation is enabled (Cognito's default for new clients
     *     is {@code true}); when {@code false}, tokens carry no {@code jti}/{@code origin_jti} and
     *     RevokeToken answers {@code UnsupportedOperationException}
     */
    public synchronized void addClient(String clientId, String clientSecretOrNull, boolean revocationEnabled) {
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        if (clientSecretOrNull != null && clientSecretOrNull.isEmpty()) {
            throw new IllegalArgumentException("client secret must be null or non-empty");
        }
        if (clients.containsKey(clientId)) {
            throw new IllegalArgumentException("client already registered: " + clientId);
        }
        clients.put(clientId, new Client(clientId, clientSecretOrNull, revocationEnabled));
    }

    /**
     * Registers a user who can sign in with {@code USER_PASSWORD_AUTH}, or sets the password of one
     * already known from {@link #login}.
     *
     * @param username the username
     * @param password the password
     */
    public synchronized void addUser(String username, String password) {
        Objects.requireNonNull(password, "password");
        user(username).password = password;
    }

    /**
     * Sets the lifetime of access and ID tokens minted from now on (Cognito's range: 5 minutes to
     * 1 day; move the clock, or build an expired token with {@link #jwt()}, to test expiry).
     *
     * @param validity the lifetime, also answered as {@code ExpiresIn}
     */
    public synchronized void setAccessTokenValidity(Duration validity) {
        Objects.requireNonNull(validity, "validity");
        if (validity.compareTo(MIN_ACCESS_TOKEN_VALIDITY) < 0 || validity.compareTo(MAX_ACCESS_TOKEN_VALIDITY) > 0) {
            throw new IllegalArgumentException("access token validity must be between 5 minutes and 1 day: " + validity);
        }
        this.accessTokenValidity = validity;
    }

    /**
     * Chooses the error RevokeToken answers for an unknown {@code ClientId}: COGNITO.md suggests
     * {@code UnauthorizedException} (the default), cognito-local answers
     * {@code ResourceNotFoundException}. Unconfirmed for real Cognito, so test both.
     *
     * @param errorType the {@code __type} to answer
     */
    public synchronized void setUnknownClientError(String errorType) {
        this.unknownClientError = requireErrorName(errorType);
    }

    synchronized Duration accessTokenValidity() {
        return accessTokenValidity;
    }

    Clock clock() {
        return clock;
    }

    /** The stable {@code sub} of a username, registering the user (without password) if new. */
    synchronized String subOf(String username) {
        return user(username).sub;
    }

    // ---------------------------------------------------------------- tokens (Java side)

    /**
     * Signs a user in (as a successful {@code USER_PASSWORD_AUTH} would, without a password):
     * a new refresh-token family with its own {@code origin_jti}.
     *
     * @param clientId a registered client
     * @param username the user (registered on first use, with a stable {@code sub})
     * @return access, ID and refresh token
     */
    public synchronized StubTokens login(String clientId, String username) {
        Client client = clients.get(Objects.requireNonNull(clientId, "clientId"));
        if (client == null) {
            throw new IllegalArgumentException("unknown client " + clientId + "; call addClient first");
        }
        return newFamily(client, user(username));
    }

    /**
     * Mints new access and ID tokens from a refresh token (as {@code REFRESH_TOKEN_AUTH} does,
     * without the secret hash): same {@code origin_jti}, new {@code jti}s, same refresh token.
     *
     * @param clientId the client the refresh token was issued to
     * @param refreshToken the refresh token
     * @return the new tokens, with the same refresh token
     * @throws CognitoStubException {@code NotAuthorizedException} if the family was revoked, the
     *     token is unknown or belongs to another client; {@code ResourceNotFoundException} for an
     *     unknown client
     */
    public synchronized StubTokens refresh(String clientId, String refreshToken) {
        Client client = clients.get(Objects.requireNonNull(clientId, "clientId"));
        if (client == null) {
            throw new CognitoStubException("ResourceNotFoundException", "User pool client " + clientId + " does not exist.");
        }
        return mint(client, refreshableFamily(client, Objects.requireNonNull(refreshToken, "refreshToken")));
    }

    /**
     * Whether the refresh token's family was revoked.
     *
     * @param refreshToken a refresh token this stub issued
     * @return {@code true} after a successful RevokeToken of it
     * @throws IllegalArgumentException if the stub never issued the token (a test mistake)
     */
    public synchronized boolean isRevoked(String refreshToken) {
        Family family = families.get(refreshToken);
        if (family == null) {
            throw new IllegalArgumentException("not a refresh token issued by this stub");
        }
        return family.revoked;
    }

    // ---------------------------------------------------------------- failure injection

    /**
     * Answers the next RevokeToken calls with an error instead of processing them (nothing is
     * revoked). HTTP 500 for {@code InternalErrorException}, 400 for any other name.
     *
     * @param times how many calls fail
     * @param exceptionName the {@code __type}, e.g. {@code TooManyRequestsException},
     *     {@code ForbiddenException}, or any name (the SDK then throws its service base exception)
     */
    public void failNext(int times, String exceptionName) {
        failNext(times, exceptionName, "InternalErrorException".equals(exceptionName) ? 500 : 400);
    }

    /**
     * Answers the next RevokeToken calls with an error and an explicit HTTP status.
     *
     * @param times how many calls fail
     * @param exceptionName the {@code __type}
     * @param httpStatus the status, 400 to 599
     */
    public synchronized void failNext(int times, String exceptionName, int httpStatus) {
        requirePositive(times);
        requireErrorName(exceptionName);
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be 400..599: " + httpStatus);
        }
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(exceptionName, httpStatus));
        }
    }

    /**
     * Closes the connection of the next RevokeToken calls after reading the request, without
     * answering: the SDK sees an I/O error ({@code SdkClientException}). Nothing is revoked.
     *
     * @param times how many calls are cut off
     */
    public synchronized void resetConnectionNext(int times) {
        requirePositive(times);
        for (int i = 0; i < times; i++) {
            faults.add(Fault.RESET);
        }
    }

    /**
     * Holds the next RevokeToken calls for a while before handling them (normally, or with a queued
     * failure). A delay past the SDK's {@code apiCallAttemptTimeout} gives
     * {@code ApiCallAttemptTimeoutException}; the stub still processes the call afterwards, as a
     * slow server would (so a late success does revoke). {@link #close()} cuts pending delays short.
     *
     * @param times how many calls are delayed
     * @param delay how long each one waits
     */
    public synchronized void delayNext(int times, Duration delay) {
        requirePositive(times);
        if (Objects.requireNonNull(delay, "delay").isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        for (int i = 0; i < times; i++) {
            delays.add(delay);
        }
    }

    // ---------------------------------------------------------------- observation

    /**
     * Every RevokeToken request received so far, in arrival order (injected failures included).
     *
     * @return an immutable snapshot
     */
    public synchronized List<RevokeCall> revokeCalls() {
        return List.copyOf(revokeCalls);
    }

    /**
     * How many RevokeToken requests were received.
     *
     * @return the size of {@link #revokeCalls()}
     */
    public synchronized int revokeCallCount() {
        return revokeCalls.size();
    }

    /**
     * Waits until at least {@code count} RevokeToken requests were answered (the code under test
     * calls from background threads), without polling.
     *
     * @param count the number of calls to wait for
     * @param timeout how long to wait at most
     * @return {@code true} if the count was reached, {@code false} on timeout
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public synchronized boolean awaitRevokeCalls(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (revokeCalls.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Forgets the recorded RevokeToken calls (a stub shared by several tests). */
    public synchronized void clearRevokeCalls() {
        revokeCalls.clear();
    }

    /**
     * Stops the server at once and its threads (pending delays are interrupted). Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if ("GET".equals(method) && jwksPath.equals(path)) {
                serveJwks(exchange);
            } else if ("POST".equals(method) && "/".equals(path)) {
                serveApi(exchange, body);
            } else {
                send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
            }
        } catch (IOException e) {
            // the client went away (e.g. its attempt timed out during an injected delay): nothing to do
            LOG.log(System.Logger.Level.DEBUG, "Cognito stub: client connection failed: {0}", e.toString());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cognito stub: request handling failed", e);
        }
    }

    private void serveJwks(HttpExchange exchange) throws IOException {
        jwksFetches.incrementAndGet();
        boolean fail;
        String json;
        synchronized (this) {
            fail = jwksFailures > 0;
            if (fail) {
                jwksFailures--;
            }
            json = JSONObjectUtils.toJSONString(publicJwks().toJSONObject(true));
        }
        if (fail) {
            send(exchange, 500, "application/json", "{\"message\":\"injected failure\"}");
        } else {
            send(exchange, 200, "application/json", json);
        }
    }

    private void serveApi(HttpExchange exchange, byte[] body) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String operation = target != null && target.startsWith(TARGET_PREFIX)
                ? target.substring(TARGET_PREFIX.length()) : null;
        Map<String, Object> request = parseObject(body); // null if not a JSON object
        if ("RevokeToken".equals(operation)) {
            serveRevoke(exchange, request);
            return;
        }
        Map<String, Object> answer;
        try {
            checkRequest(exchange, request);
            if ("InitiateAuth".equals(operation)) {
                answer = initiateAuth(request);
            } else if ("GlobalSignOut".equals(operation)) {
                answer = globalSignOut(request);
            } else {
                throw new CognitoStubException("UnknownOperationException",
                        "Operation " + (operation == null ? "(none)" : operation) + " is not supported by the stub");
            }
        } catch (CognitoStubException e) {
            sendError(exchange, e);
            return;
        }
        send(exchange, 200, AMZ_JSON_1_1, JSONObjectUtils.toJSONString(answer));
    }

    private void serveRevoke(HttpExchange exchange, Map<String, Object> request) throws IOException {
        String token = request == null ? null : stringOrNull(request, "Token");
        String clientId = request == null ? null : stringOrNull(request, "ClientId");
        String secret = request == null ? null : stringOrNull(request, "ClientSecret");
        boolean authorization = exchange.getRequestHeaders().containsKey("Authorization");

        Duration delay;
        synchronized (this) {
            delay = delays.poll();
        }
        if (delay != null && !delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // close() is stopping the stub: answer nothing
                return;
            }
        }

        CognitoStubException error = null;
        synchronized (this) {
            Fault fault = faults.poll();
            if (fault == Fault.RESET) {
                record(new RevokeCall(token, clientId, secret, authorization, RevokeCall.CONNECTION_RESET, null));
                // closing without response headers makes the JDK server drop the connection
                exchange.close();
                return;
            }
            if (fault != null) {
                error = new CognitoStubException(fault.errorType, "Injected by the Cognito stub", fault.httpStatus);
            } else {
                try {
                    checkRequest(exchange, request);
                    revoke(token, clientId, secret);
                } catch (CognitoStubException e) {
                    error = e;
                }
            }
            // recorded before answering: once the client has its answer, the call is visible
            record(new RevokeCall(token, clientId, secret, authorization,
                    error == null ? 200 : error.httpStatus(), error == null ? null : error.errorType()));
        }
        if (error != null) {
            sendError(exchange, error);
        } else {
            send(exchange, 200, AMZ_JSON_1_1, "{}");
        }
    }

    private static void checkRequest(HttpExchange exchange, Map<String, Object> request) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!AMZ_JSON_1_1.equalsIgnoreCase(mediaType)) {
            throw new CognitoStubException("UnknownOperationException",
                    "Content-Type must be " + AMZ_JSON_1_1 + ", was " + (contentType == null ? "absent" : mediaType));
        }
        if (request == null) {
            throw new CognitoStubException("SerializationException", "The request body is not a JSON object");
        }
    }

    private void record(RevokeCall call) {
        assert Thread.holdsLock(this);
        revokeCalls.add(call);
        notifyAll();
    }

    private static void sendError(HttpExchange exchange, CognitoStubException e) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", e.errorType());
        body.put("message", e.wireMessage());
        send(exchange, e.httpStatus(), AMZ_JSON_1_1, JSONObjectUtils.toJSONString(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, Object> parseObject(byte[] body) {
        try {
            return JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private static String stringOrNull(Map<String, Object> json, String field) {
        Object value = json.get(field);
        return value instanceof String ? (String) value : null;
    }

    // ---------------------------------------------------------------- operations

    private void revoke(String token, String clientId, String secret) {
        assert Thread.holdsLock(this);
        if (token == null || token.isEmpty()) {
            throw invalidParameter("1 validation error detected: Value at 'token' failed to satisfy constraint: "
                    + "Member must not be null");
        }
        if (clientId == null || clientId.isEmpty()) {
            throw invalidParameter("1 validation error detected: Value at 'clientId' failed to satisfy constraint: "
                    + "Member must not be null");
        }
        Client client = clients.get(clientId);
        if (client == null) {
            throw new CognitoStubException(unknownClientError, "Client " + clientId + " does not exist in the user pool.");
        }
        if (client.secret == null && secret != null) {
            throw new CognitoStubException("UnauthorizedException", "Client " + clientId + " has no secret, but one was sent.");
        }
        if (client.secret != null && (secret == null || !constantTimeEquals(client.secret, secret))) {
            throw new CognitoStubException("UnauthorizedException", "Invalid or missing client secret for client " + clientId + ".");
        }
        if (!client.revocationEnabled) {
            throw new CognitoStubException("UnsupportedOperationException",
                    "Token revocation is not enabled for client " + clientId + ".");
        }
        switch (shapeOf(token)) {
            case JWS:
                throw new CognitoStubException("UnsupportedTokenTypeException", "The token is not a refresh token.");
            case OTHER:
                throw invalidParameter("The token is not a well-formed refresh token.");
            default:
                break;
        }
        Family family = families.get(token);
        if (family == null) {
            throw invalidParameter("The refresh token was not issued by this user pool.");
        }
        if (!family.client.id.equals(clientId)) {
            throw new CognitoStubException("UnauthorizedException", "The refresh token was not issued to client " + clientId + ".");
        }
        family.revoked = true; // idempotent: revoking again changes nothing and succeeds
    }

    private synchronized Map<String, Object> initiateAuth(Map<String, Object> request) {
        String flow = stringOrNull(request, "AuthFlow");
        String clientId = stringOrNull(request, "ClientId");
        Object rawParams = request.get("AuthParameters");
        @SuppressWarnings("unchecked")
        Map<String, Object> params = rawParams instanceof Map ? (Map<String, Object>) rawParams : Map.of();
        if (flow == null || clientId == null) {
            throw invalidParameter("AuthFlow and ClientId are required.");
        }
        Client client = clients.get(clientId);
        if (client == null) {
            throw new CognitoStubException("ResourceNotFoundException", "User pool client " + clientId + " does not exist.");
        }
        StubTokens tokens;
        boolean withRefreshToken;
        switch (flow) {
            case "USER_PASSWORD_AUTH": {
                String username = stringOrNull(params, "USERNAME");
                String password = stringOrNull(params, "PASSWORD");
                if (username == null || password == null) {
                    throw invalidParameter("Missing required parameter " + (username == null ? "USERNAME" : "PASSWORD"));
                }
                checkSecretHash(client, stringOrNull(params, "SECRET_HASH"), List.of(username));
                User user = users.get(username);
                if (user == null || user.password == null || !constantTimeEquals(user.password, password)) {
                    throw new CognitoStubException("NotAuthorizedException", "Incorrect username or password.");
                }
                tokens = newFamily(client, user);
                withRefreshToken = true;
                break;
            }
            case "REFRESH_TOKEN_AUTH":
            case "REFRESH_TOKEN": {
                String refreshToken = stringOrNull(params, "REFRESH_TOKEN");
                if (refreshToken == null) {
                    throw invalidParameter("Missing required parameter REFRESH_TOKEN");
                }
                Family family = refreshableFamily(client, refreshToken);
                checkSecretHash(client, stringOrNull(params, "SECRET_HASH"),
                        List.of(family.user.username, family.user.sub));
                tokens = mint(client, family);
                withRefreshToken = false;
                break;
            }
            default:
                throw invalidParameter("AuthFlow " + flow + " is not supported by the stub.");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("AccessToken", tokens.accessToken());
        result.put("ExpiresIn", accessTokenValidity.toSeconds());
        result.put("IdToken", tokens.idToken());
        if (withRefreshToken) {
            result.put("RefreshToken", tokens.refreshToken());
        }
        result.put("TokenType", "Bearer");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("AuthenticationResult", result);
        answer.put("ChallengeParameters", Map.of());
        return answer;
    }

    /**
     * {@code GlobalSignOut {AccessToken}}: authorized by the access token itself (no IAM), it
     * revokes every refresh token of the token's user, across app clients. Access tokens already
     * issued keep verifying locally until they expire, as with Cognito.
     */
    private synchronized Map<String, Object> globalSignOut(Map<String, Object> request) {
        String token = stringOrNull(request, "AccessToken");
        if (token == null) {
            throw new CognitoStubException("InvalidParameterException", "AccessToken is required");
        }
        String sub;
        try {
            com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(token);
            boolean verified = false;
            for (RSAKey key : keys) {
                verified |= key.getKeyID().equals(jwt.getHeader().getKeyID())
                        && jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(key));
            }
            com.nimbusds.jwt.JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!verified || !"access".equals(claims.getStringClaim("token_use"))
                    || !clock.instant().isBefore(claims.getExpirationTime().toInstant())) {
                throw new CognitoStubException("NotAuthorizedException", "Invalid Access Token");
            }
            sub = claims.getSubject();
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
            throw new CognitoStubException("NotAuthorizedException", "Invalid Access Token");
        }
        for (Family family : families.values()) {
            if (family.user.sub.equals(sub)) {
                family.revoked = true;
            }
        }
        globalSignOuts++;
        return Map.of();
    }

    /**
     * How many {@code GlobalSignOut} calls succeeded.
     *
     * @return the count
     */
    public synchronized int globalSignOutCount() {
        return globalSignOuts;
    }

    private Family refreshableFamily(Client client, String refreshToken) {
        assert Thread.holdsLock(this);
        Family family = families.get(refreshToken);
        if (family == null || family.client != client) {
            throw new CognitoStubException("NotAuthorizedException", "Invalid Refresh Token");
        }
        if (family.revoked) {
            throw new CognitoStubException("NotAuthorizedException", "Refresh Token has been revoked");
        }
        return family;
    }

    private static void checkSecretHash(Client client, String secretHash, List<String> usernames) {
        if (client.secret == null) {
            return;
        }
        if (secretHash != null) {
            for (String username : usernames) {
                if (constantTimeEquals(secretHash(client.secret, username, client.id), secretHash)) {
                    return;
                }
            }
        }
        throw new CognitoStubException("NotAuthorizedException", "Unable to verify secret hash for client " + client.id);
    }

    /**
     * Cognito's {@code SECRET_HASH}: Base64 of HMAC-SHA256, keyed with the client secret, over
     * username followed by client id.
     *
     * @param clientSecret the app client's secret
     * @param username the username (for a refresh, Cognito also accepts the sub)
     * @param clientId the app client id
     * @return the value for the {@code SECRET_HASH} auth parameter
     */
    public static String secretHash(String clientSecret, String username, String clientId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((username + clientId).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private StubTokens newFamily(Client client, User user) {
        assert Thread.holdsLock(this);
        String refreshToken = newRefreshToken();
        Family family = new Family(client, user, refreshToken, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), clock.instant().truncatedTo(ChronoUnit.SECONDS));
        families.put(refreshToken, family);
        return mint(client, family);
    }

    private StubTokens mint(Client client, Family family) {
        assert Thread.holdsLock(this);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Date iat = Date.from(now);
        Date exp = Date.from(now.plus(accessTokenValidity));
        RSAKey key = signingKey();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build();
        boolean ids = client.revocationEnabled;

        JWTClaimsSet.Builder access = new JWTClaimsSet.Builder()
                .subject(family.user.sub)
                .issuer(issuer)
                .claim("client_id", client.id);
        if (ids) {
            access.claim("origin_jti", family.originJti);
        }
        access.claim("event_id", family.eventId)
                .claim("token_use", "access")
                .claim("scope", ACCESS_TOKEN_SCOPE)
                .claim("auth_time", family.authTime.getEpochSecond())
                .expirationTime(exp)
                .issueTime(iat);
        if (ids) {
            access.jwtID(UUID.randomUUID().toString());
        }
        access.claim("username", family.user.username).claim("version", 2);

        JWTClaimsSet.Builder id = new JWTClaimsSet.Builder()
                .subject(family.user.sub)
                .audience(client.id)
                .claim("cognito:username", family.user.username);
        if (ids) {
            id.claim("origin_jti", family.originJti);
        }
        id.claim("event_id", family.eventId)
                .claim("token_use", "id")
                .claim("auth_time", family.authTime.getEpochSecond())
                .issuer(issuer)
                .expirationTime(exp)
                .issueTime(iat);
        if (ids) {
            id.jwtID(UUID.randomUUID().toString());
        }
        return new StubTokens(JwtFactory.rs256(key, header, access.build()), JwtFactory.rs256(key, header, id.build()),
                family.refreshToken, ids ? family.originJti : null);
    }

    private User user(String username) {
        assert Thread.holdsLock(this);
        Objects.requireNonNull(username, "username");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("username must not be empty");
        }
        return users.computeIfAbsent(username, u -> new User(u, UUID.randomUUID().toString()));
    }

    // ---------------------------------------------------------------- helpers

    private enum Shape { JWS, REFRESH, OTHER }

    private static Shape shapeOf(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length == 3 && headerHas(parts[0], "alg")) {
            return Shape.JWS; // includes alg=none tokens, whose last part is empty
        }
        if (parts.length == 5 && headerHas(parts[0], "enc")) {
            for (String part : parts) {
                if (part.isEmpty() || !part.matches("[A-Za-z0-9_-]+")) {
                    return Shape.OTHER;
                }
            }
            return Shape.REFRESH;
        }
        return Shape.OTHER;
    }

    private static boolean headerHas(String encodedHeader, String member) {
        try {
            return JSONObjectUtils.parse(new Base64URL(encodedHeader).decodeToString()).get(member) instanceof String;
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    private static String newRefreshToken() {
        // Cognito's are a JWE (RSA-OAEP, A256GCM) of ~1.8 KB: same shape and size, random content
        return REFRESH_TOKEN_HEADER + "." + randomPart(256) + "." + randomPart(12) + "."
                + randomPart(1024) + "." + randomPart(16);
    }

    private static String randomPart(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64URL.encode(random).toString();
    }

    private static RSAKey newKey() {
        byte[] kidBytes = new byte[32];
        RANDOM.nextBytes(kidBytes);
        try {
            // Cognito kids are standard Base64 (with '+', '/', '='): keep that, verifiers must cope
            return new RSAKeyGenerator(2048)
                    .keyID(Base64.getEncoder().encodeToString(kidBytes))
                    .algorithm(JWSAlgorithm.RS256)
                    .keyUse(KeyUse.SIGNATURE)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("RSA key generation failed", e);
        }
    }

    private static String defaultPoolId(String region) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return (region != null ? region : DEFAULT_REGION) + "_Stub" + suffix;
    }

    private static String regionOf(String poolId) {
        int underscore = poolId.indexOf('_');
        String prefix = underscore > 0 ? poolId.substring(0, underscore) : "";
        return prefix.matches("[a-z]{2}(-[a-z]+)+-\\d+") ? prefix : DEFAULT_REGION;
    }

    private static boolean constantTimeEquals(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    private static CognitoStubException invalidParameter(String message) {
        return new CognitoStubException("InvalidParameterException", message);
    }

    private static void requirePositive(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1: " + times);
        }
    }

    private static String requireErrorName(String name) {
        Objects.requireNonNull(name, "exceptionName");
        if (!ERROR_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an error type name: " + name);
        }
        return name;
    }

    private static final class Client {
        final String id;
        final String secret;
        final boolean revocationEnabled;

        Client(String id, String secret, boolean revocationEnabled) {
            this.id = id;
            this.secret = secret;
            this.revocationEnabled = revocationEnabled;
        }
    }

    private static final class User {
        final String username;
        final String sub;
        String password;

        User(String username, String sub) {
            this.username = username;
            this.sub = sub;
        }
    }

    /** One refresh token and everything minted from it. */
    private static final class Family {
        final Client client;
        final User user;
        final String refreshToken;
        final String originJti;
        final String eventId;
        final Instant authTime;
        boolean revoked;

        Family(Client client, User user, String refreshToken, String originJti, String eventId, Instant authTime) {
            this.client = client;
            this.user = user;
            this.refreshToken = refreshToken;
            this.originJti = originJti;
            this.eventId = eventId;
            this.authTime = authTime;
        }
    }

    private static final class Fault {
        static final Fault RESET = new Fault(null, RevokeCall.CONNECTION_RESET);

        final String errorType;
        final int httpStatus;

        Fault(String errorType, int httpStatus) {
            this.errorType = errorType;
            this.httpStatus = httpStatus;
        }
    }
}
