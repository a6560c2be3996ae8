package io.github.cognitorevoke.testing;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
 * {@code InternalErrorException}, 403 for {@code ForbiddenException}) with the header
 * {@code x-amzn-ErrorType: <Name>:} and the body {@code {"__type":"<Name>","message":"..."}}, as
 * AWS JSON 1.1 services answer (the SDK reads the name from the header first, then from
 * {@code __type}).
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
 *   <li>{@code GetTokensFromRefreshToken {RefreshToken, ClientId, ClientSecret?}}: new access and ID
 *       tokens; for a client with rotation on ({@link #configureAppClient}) also a new
 *       {@code RefreshToken}, the presented one staying usable for {@code gracePeriodSeconds}, then
 *       {@code NotAuthorizedException} "Invalid Refresh Token" (assumption). The refresh token expires
 *       {@code refreshTokenValidity} after the sign-in, whatever the rotations. For a rotating
 *       client, {@code InitiateAuth REFRESH_TOKEN_AUTH} is refused with
 *       {@code InvalidParameterException} (the error name is an assumption). What AWS does not say
 *       is switchable ({@link #setRotationBehaviour}): the new tokens' {@code origin_jti} kept or
 *       renewed, and {@code RevokeToken} of one refresh token of the chain ending the whole chain
 *       or that token only (also for a token already rotated away, which is accepted: assumption).</li>
 *   <li>{@code GlobalSignOut} {@code {AccessToken}}: revokes every refresh token of the token's
 *       user when the access token verifies (else {@code NotAuthorizedException}).</li>
 *   <li>{@code DescribeUserPoolClient {UserPoolId, ClientId}}, {@code AdminGetUser {UserPoolId, Username}}
 *       and {@code AdminUserGlobalSignOut {UserPoolId, Username}} are IAM-authorized: a request
 *       without an {@code Authorization} header gets {@code MissingAuthenticationTokenException}
 *       (HTTP 400; the AWS JSON protocol's name; the signature itself is not checked). The client's
 *       settings are the test's ({@link #configureAppClient}, {@link #setAccessTokenValidity},
 *       {@link #setLogoutUrls}, {@link #setCallbackUrls}, revocation from {@link #addClient});
 *       another pool id or an unknown client: {@code ResourceNotFoundException}; an unknown user
 *       {@code UserNotFoundException} ("User does not exist."). AdminUserGlobalSignOut revokes every
 *       refresh token of the user, as GlobalSignOut does. Every call in {@link #adminCalls()}.</li>
 *   <li>Any other operation, or a missing target: {@code UnknownOperationException} (the AWS JSON
 *       protocol's name; assumption for Cognito). A body that is not a JSON object:
 *       {@code SerializationException}. A {@code Content-Type} other than
 *       {@code application/x-amz-json-1.1}: {@code UnknownOperationException} (assumption; the
 *       point is that a hand-made request with the wrong type fails loudly).</li>
 *   <li>{@code GET /<poolId>/.well-known/jwks.json}: the JWKS, counted by {@link #jwksFetchCount}.</li>
 * </ul>
 *
 * <h2>Managed login (Hosted UI)</h2>
 * Served by the same server, path-based, at {@link #managedLoginDomain()}; allowed URLs per client
 * from {@link #setLogoutUrls} and {@link #setCallbackUrls}; every call in {@link #managedLogoutCalls()}.
 * <ul>
 *   <li>{@code GET /logout?client_id=..&logout_uri=..} with {@code logout_uri} one of the client's
 *       sign-out URLs: 302 to it, and the managed-login session cookie
 *       ({@value #MANAGED_LOGIN_SESSION_COOKIE}) cleared (COGNITO.md).</li>
 *   <li>{@code GET /logout?client_id=..&redirect_uri=..&response_type=..[&scope=..][&state=..]} with
 *       {@code redirect_uri} one of the client's callback URLs: 302 to {@code /login} with those
 *       parameters, session cookie cleared (COGNITO.md; AWS's page on the endpoint).</li>
 *   <li>Errors send the browser on to {@code /error?error=<what>[&client_id=..]} (302), whose page
 *       answers 400 {@code text/html}: a {@code logout_uri} or {@code redirect_uri} not in the
 *       client's list gives {@code redirect_mismatch}; no {@code client_id}, neither
 *       {@code logout_uri} nor {@code redirect_uri}, or {@code redirect_uri} without
 *       {@code response_type} gives {@code Required parameters missing} (the wording public issue
 *       threads quote from Cognito); so do the generic clients' {@code id_token_hint} and
 *       {@code post_logout_redirect_uri}, which are ignored (COGNITO.md). Nothing is ended then.</li>
 * </ul>
 * <b>Assumed by the stub</b> (COGNITO.md is silent; change here if real Cognito is seen to differ):
 * <ol>
 *   <li>an unknown {@code client_id} gives {@code /error?error=invalid_client};</li>
 *   <li>{@code logout_uri} is compared to the sign-out URLs exactly as written (case, trailing
 *       slash, query), {@code redirect_uri} likewise to the callback URLs;</li>
 *   <li>with both {@code logout_uri} and {@code redirect_uri}, {@code logout_uri} wins;</li>
 *   <li>a repeated parameter or a malformed percent-escape gives {@code /error?error=invalid_request};</li>
 *   <li>the error is a 302 to {@code /error} on the same domain (public threads show the browser
 *       ending there), and that page answers 400 (its real status is unknown);</li>
 *   <li>a method other than GET answers 405 with {@code Allow: GET};</li>
 *   <li>a logout needs no managed-login session: without the cookie it redirects all the same;</li>
 *   <li>the session cookie is named {@value #MANAGED_LOGIN_SESSION_COOKIE} and cleared with
 *       {@code Path=/; Max-Age=0; HttpOnly} (no {@code Secure}: the stub serves plain HTTP).</li>
 * </ol>
 *
 * <h2>Sign-in through the managed login (OpenID Connect provider)</h2>
 * The servers' own OIDC clients log in against the stub as against Cognito's managed login:
 * give them {@link #openIdProviderUri()} (the issuer) as the provider URL.
 * <ul>
 *   <li>{@code GET <issuer>/.well-known/openid-configuration}: Cognito's discovery document
 *       (issuer, {@code authorization_endpoint}, {@code token_endpoint}, {@code userinfo_endpoint},
 *       {@code end_session_endpoint} = {@code /logout}, {@code revocation_endpoint},
 *       {@code jwks_uri}, RS256, {@code client_secret_basic} and {@code client_secret_post}).</li>
 *   <li>{@code GET /oauth2/authorize?response_type=code&client_id&redirect_uri[&scope][&state][&nonce]
 *       [&code_challenge&code_challenge_method=S256]}: with a live managed-login session cookie,
 *       302 straight to {@code redirect_uri?code=..&state=..} (the user is "logged straight back
 *       in"), and the tokens of that code carry the session's {@code auth_time}, when the password
 *       was typed (assumption: no new authentication, so no new {@code auth_time}, as OpenID Connect
 *       defines it; open question for Cognito); without, 302 to {@code /login} with the same parameters. An unknown client
 *       ({@code invalid_client}), a {@code redirect_uri} not among the client's callback URLs
 *       ({@code redirect_mismatch}), a {@code response_type} other than {@code code}
 *       ({@code unsupported_response_type}) or a challenge method other than {@code S256}
 *       ({@code invalid_request}) send the browser to {@code /error} (assumption: Cognito shows its
 *       error page for these rather than redirecting to the client).</li>
 *   <li>{@code GET /login}: the sign-in form (ids {@code signInFormUsername},
 *       {@code signInFormPassword}, {@code signInSubmitButton}, as Cognito's classic page), the
 *       authorization parameters in hidden fields. {@code POST /login}: a user from
 *       {@link #addUser} with the right password gets the managed-login session cookie
 *       ({@value #MANAGED_LOGIN_SESSION_COOKIE}, one hour) and a 302 to {@code redirect_uri} with a
 *       single-use code (five minutes); a wrong password shows the form again with
 *       "Incorrect username or password.".</li>
 *   <li>{@code POST /oauth2/token} (form): the client authenticates with Basic or
 *       {@code client_id} (+ {@code client_secret}) in the form; a client without a secret sends
 *       none. {@code grant_type=authorization_code}: {@code code}, the same {@code redirect_uri},
 *       and, when the authorization request had a challenge, a {@code code_verifier} whose S256
 *       matches; answers {@code id_token}, {@code access_token}, {@code refresh_token},
 *       {@code expires_in}, {@code token_type=Bearer}: a new family (new {@code origin_jti}), the
 *       access token's {@code scope} the requested scopes, the ID token's {@code nonce} the
 *       request's. {@code grant_type=refresh_token}: new access and ID tokens of the same family,
 *       no {@code refresh_token} in the answer unless the client rotates (then a new one).
 *       Errors: 400 {@code {"error":"invalid_client"}} (unknown client, wrong or missing secret),
 *       {@code invalid_grant} (unknown, used, expired or foreign code, wrong verifier or
 *       {@code redirect_uri}, revoked or unknown refresh token), {@code unsupported_grant_type}.</li>
 *   <li>{@code GET}/{@code POST /oauth2/userInfo} with {@code Authorization: Bearer <access token>}:
 *       {@code {"sub","username"}}; a token that does not verify, has expired or whose family was
 *       revoked gets 401 {@code {"error":"invalid_token"}} with {@code WWW-Authenticate}.</li>
 *   <li>{@code GET /logout} that ends the session (above) also ends it on the stub's side: the old
 *       cookie no longer skips the form.</li>
 * </ul>
 * <b>Assumed</b> (beyond COGNITO.md): the error names and statuses above; that the token endpoint
 * answers JSON errors with 400; that {@code openid} is assumed when {@code scope} is absent; that
 * the ID token keeps its {@code nonce} on refresh; no {@code at_hash} and no e-mail claims.
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
 * {@link #failNext(int, String)}, {@link #resetConnectionNext} and {@link #delayNext} apply to
 * {@code RevokeToken} requests only (InitiateAuth and the JWKS are never affected by them; see
 * {@link #failJwksNext}); {@link #failNext(String, int, String)} answers the next calls of any
 * other operation with an error.
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
    /** The managed-login session cookie that {@code GET /logout} clears (on the managed-login domain). */
    public static final String MANAGED_LOGIN_SESSION_COOKIE = "cognito";
    /**
     * A plain page the stub serves that is no part of Cognito: where a test's {@code logoutUri} can point
     * when the application's own address is not known before deployment (Payara Micro picks its port).
     */
    public static final String SIGNED_OUT_PAGE = "/test/signed-out";
    /** The access (and ID) token validity a new stub starts with, Cognito's default. */
    public static final Duration DEFAULT_ACCESS_TOKEN_VALIDITY = Duration.ofHours(1);
    /** The shortest access token validity Cognito allows. */
    public static final Duration MIN_ACCESS_TOKEN_VALIDITY = Duration.ofMinutes(5);
    /** The longest access token validity Cognito allows. */
    public static final Duration MAX_ACCESS_TOKEN_VALIDITY = Duration.ofDays(1);
    /** The {@code scope} claim of access tokens from the user pool API (no OAuth scopes). */
    public static final String ACCESS_TOKEN_SCOPE = "aws.cognito.signin.user.admin";

    /** Whether a rotation keeps the {@code origin_jti} of the refresh token it replaces (AWS does not say). */
    public enum OriginJti {
        /** The new refresh token's tokens carry the same {@code origin_jti} (the default). */
        KEPT,
        /** Each rotation starts a new {@code origin_jti}. */
        RENEWED
    }

    /** What revoking one refresh token of a rotation chain ends (AWS does not say). */
    public enum ChainRevocation {
        /** Every refresh token of the sign-in, earlier and later (the default). */
        WHOLE_CHAIN,
        /** That refresh token only: the others of the chain keep working. */
        OWN_TOKENS
    }

    /**
     * What {@code RevokeToken} answers for a refresh token that a rotation replaced and whose grace
     * period has passed (AWS does not say).
     */
    public enum StaleRevocation {
        /** 200, and the token (or its chain, as {@link ChainRevocation} says) is revoked (the default). */
        ACCEPTED,
        /** {@code NotAuthorizedException} "Invalid Refresh Token", as the refresh does; nothing is revoked. */
        REFUSED
    }

    private static final String DEFAULT_REGION = "eu-west-1";
    private static final SecureRandom RANDOM = new SecureRandom();

    // The parts, one per concern; this class only wires them together and documents the whole.
    private final AwsJsonServer server;     // wire protocol: HTTP, X-Amz-Target dispatch, error bodies
    private final StubKeys keys;            // key management: signing key, rotation, JWKS
    private final UserPool pool;            // clients, users, token families, revocation, GlobalSignOut
    private final FaultInjector faults;     // failNext, resetConnectionNext, delayNext, failJwksNext
    private final RevokeLog revokeLog;      // every RevokeToken call received
    private final ManagedLoginServer managedLogin; // GET /logout and its error page
    private final OAuthServer oauth;        // discovery, /oauth2/authorize, /login, /oauth2/token, /oauth2/userInfo
    private final JwtFactory jwtFactory;
    private final String userPoolId;
    private final String region;
    private final String issuer;
    private final Clock clock;
    private final Object closeLock = new Object();
    private boolean closed;

    private CognitoStub(Builder builder) {
        this.clock = builder.clock;
        this.userPoolId = builder.userPoolId != null ? builder.userPoolId : defaultPoolId(builder.region);
        this.region = builder.region != null ? builder.region : regionOf(userPoolId);
        this.keys = new StubKeys();
        this.server = new AwsJsonServer();
        this.issuer = server.endpoint() + "/" + userPoolId;
        this.pool = new UserPool(new TokenMinter(keys, issuer, clock), keys, clock);
        this.faults = new FaultInjector();
        this.revokeLog = new RevokeLog();
        this.jwtFactory = new JwtFactory(this);
        this.managedLogin = new ManagedLoginServer(pool, server.endpoint());
        this.oauth = new OAuthServer(pool, managedLogin, server.endpoint(), issuer, issuer + "/.well-known/jwks.json", clock);
        managedLogin.setOAuth(oauth);
        server.start(userPoolId, pool, keys, faults, revokeLog, managedLogin, oauth);
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
        return server.endpoint();
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
     * The managed-login (Hosted UI) domain: the same server, path-based ({@code /logout},
     * {@code /error}); give it to the library as {@code cognitoDomain}.
     *
     * @return {@link #endpoint()}, e.g. {@code http://127.0.0.1:<port>}
     */
    public URI managedLoginDomain() {
        return server.endpoint();
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
    public String currentKid() {
        return keys.signingKey().getKeyID();
    }

    /**
     * Adds a new RSA key, publishes it in the JWKS next to the old ones and signs every later token
     * with it: a verifier that cached the JWKS meets an unknown {@code kid} and must refetch.
     *
     * @return the new key's {@code kid}
     */
    public String rotateKey() {
        return keys.rotate();
    }

    /**
     * Stops publishing a key; tokens it signed no longer verify after a refetch. The signing key
     * cannot be retired: rotate first.
     *
     * @param kid the key id to drop from the JWKS
     */
    public void retireKey(String kid) {
        keys.retire(kid);
    }

    /**
     * The JWKS as served now (public keys only).
     *
     * @return the key set
     */
    public JWKSet publicJwks() {
        return keys.publicJwks();
    }

    /**
     * How many times the JWKS was requested over HTTP, including requests failed by
     * {@link #failJwksNext}.
     *
     * @return the number of {@code GET} requests for {@link #jwksUri()}
     */
    public int jwksFetchCount() {
        return keys.fetchCount();
    }

    /**
     * Answers the next JWKS requests with HTTP 500, to test a verifier's "key set unavailable" path
     * (an infrastructure failure, not a bad token).
     *
     * @param times how many requests fail
     */
    public void failJwksNext(int times) {
        faults.failJwksNext(times);
    }

    RSAKey signingKey() {
        return keys.signingKey();
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
    public void addClient(String clientId, String clientSecretOrNull, boolean revocationEnabled) {
        pool.addClient(clientId, clientSecretOrNull, revocationEnabled);
    }

    /**
     * Sets an app client's allowed sign-out URLs ({@code LogoutURLs}): {@code GET /logout} redirects
     * only to one of them, compared as written. None by default.
     *
     * @param clientId a registered client
     * @param urls     the URLs; replaces the earlier ones
     */
    public void setLogoutUrls(String clientId, String... urls) {
        managedLogin.setLogoutUrls(clientId, List.of(urls));
    }

    /**
     * Sets an app client's allowed callback URLs ({@code CallbackURLs}), for the {@code redirect_uri}
     * form of {@code GET /logout}. None by default.
     *
     * @param clientId a registered client
     * @param urls     the URLs; replaces the earlier ones
     */
    public void setCallbackUrls(String clientId, String... urls) {
        managedLogin.setCallbackUrls(clientId, List.of(urls));
    }

    /**
     * What {@code DescribeUserPoolClient} says of a client besides revocation, the URLs and the
     * access-token validity: change the fields of the {@link AppClientSettings} given.
     *
     * @param clientId a registered client
     * @param change   sets what the test needs
     */
    public void configureAppClient(String clientId, java.util.function.Consumer<AppClientSettings> change) {
        pool.configureClient(clientId, client -> {
            AppClientSettings s = new AppClientSettings(client);
            change.accept(s);
            s.store(client);
        });
    }

    /**
     * Chooses what the stub does where AWS does not document rotation: whether a rotation keeps
     * {@code origin_jti}, and what revoking one refresh token of a chain ends. Rotation itself is
     * switched on per client ({@link #configureAppClient}: {@code rotation}, {@code gracePeriodSeconds}).
     *
     * @param originJti  kept or renewed on rotation
     * @param revocation the whole chain or the token's own tokens
     */
    public void setRotationBehaviour(OriginJti originJti, ChainRevocation revocation) {
        pool.setRotationBehaviour(originJti, revocation);
    }

    /**
     * Chooses what {@code RevokeToken} answers for a refresh token rotated away past its grace period.
     *
     * @param answer accepted (200) or refused ({@code NotAuthorizedException})
     */
    public void setStaleRevocation(StaleRevocation answer) {
        pool.setStaleRevocation(answer);
    }

    /**
     * Refreshes as {@code GetTokensFromRefreshToken} does for a rotating client: new access and ID
     * tokens and a new refresh token ({@link StubTokens#refreshToken()}).
     *
     * @param clientId     a client with rotation on
     * @param refreshToken its current refresh token, or a replaced one within the grace period
     * @return the new tokens
     * @throws CognitoStubException as the operation would answer (revoked, replaced, expired)
     */
    public StubTokens rotate(String clientId, String refreshToken) {
        return pool.rotate(clientId, refreshToken);
    }

    /** @return every IAM-authorized call received (DescribeUserPoolClient, AdminGetUser, AdminUserGlobalSignOut) */
    public List<AdminCall> adminCalls() {
        return server.adminCalls();
    }

    /**
     * Registers a user who can sign in with {@code USER_PASSWORD_AUTH}, or sets the password of one
     * already known from {@link #login}.
     *
     * @param username the username
     * @param password the password
     */
    public void addUser(String username, String password) {
        pool.addUser(username, password);
    }

    /**
     * Sets the lifetime of access and ID tokens minted from now on (Cognito's range: 5 minutes to
     * 1 day; move the clock, or build an expired token with {@link #jwt()}, to test expiry).
     *
     * @param validity the lifetime, also answered as {@code ExpiresIn}
     */
    public void setAccessTokenValidity(Duration validity) {
        pool.setAccessTokenValidity(validity);
    }

    /**
     * Chooses the error RevokeToken answers for an unknown {@code ClientId}: COGNITO.md suggests
     * {@code UnauthorizedException} (the default), cognito-local answers
     * {@code ResourceNotFoundException}. Unconfirmed for real Cognito, so test both.
     *
     * @param errorType the {@code __type} to answer
     */
    public void setUnknownClientError(String errorType) {
        pool.setUnknownClientError(errorType);
    }

    Duration accessTokenValidity() {
        return pool.accessTokenValidity();
    }

    Clock clock() {
        return clock;
    }

    /** The stable {@code sub} of a username, registering the user (without password) if new. */
    String subOf(String username) {
        return pool.subOf(username);
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
    public StubTokens login(String clientId, String username) {
        return pool.login(clientId, username);
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
    public StubTokens refresh(String clientId, String refreshToken) {
        return pool.refresh(clientId, refreshToken);
    }

    /**
     * A refresh token that no pool issued, shaped like Cognito's (a compact JWE of about 1.8 KB):
     * the junk an anonymous caller can send.
     *
     * @return a new, random one
     */
    public static String unknownRefreshToken() {
        return TokenMinter.newRefreshToken();
    }

    /**
     * A refresh token that no pool issued, shaped like Cognito's, whose second part is a label,
     * so that a test can tell its tokens apart ({@code token.contains(label)}).
     *
     * @param label base64url characters only ({@code A-Z a-z 0-9 - _})
     * @return the token: the label plus 80 characters
     */
    public static String unknownRefreshToken(String label) {
        if (!label.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("a label of base64url characters, not: " + label);
        }
        return TokenMinter.REFRESH_TOKEN_HEADER + "." + label + ".aXY.Y2lwaGVydGV4dA.dGFn";
    }

    /**
     * Whether the refresh token's family was revoked.
     *
     * @param refreshToken a refresh token this stub issued
     * @return {@code true} after a successful RevokeToken of it
     * @throws IllegalArgumentException if the stub never issued the token (a test mistake)
     */
    public boolean isRevoked(String refreshToken) {
        return pool.isRevoked(refreshToken);
    }

    /**
     * How many {@code GlobalSignOut} calls succeeded.
     *
     * @return the count
     */
    public int globalSignOutCount() {
        return pool.globalSignOutCount();
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
        return UserPool.secretHash(clientSecret, username, clientId);
    }

    // ---------------------------------------------------------------- failure injection

    /**
     * Answers the next RevokeToken calls with an error instead of processing them (nothing is
     * revoked), with the HTTP status Cognito answers it with ({@link #httpStatusOf}).
     *
     * @param times how many calls fail
     * @param exceptionName the {@code __type}, e.g. {@code TooManyRequestsException},
     *     {@code ForbiddenException}, or any name (the SDK then throws its service base exception)
     */
    public void failNext(int times, String exceptionName) {
        failNext(times, exceptionName, httpStatusOf(exceptionName));
    }

    /**
     * Answers the next calls of one operation with an error instead of processing them (nothing
     * changes), with the HTTP status Cognito answers it with ({@link #httpStatusOf}). For
     * {@code RevokeToken} the same as {@link #failNext(int, String)}; for the others, a queue of
     * their own, applied before anything else (also before the check of a signed request).
     *
     * @param operation the operation, e.g. {@code GlobalSignOut}, {@code DescribeUserPoolClient},
     *     {@code AdminGetUser}, {@code AdminUserGlobalSignOut}, {@code GetTokensFromRefreshToken}
     * @param times how many calls fail
     * @param exceptionName the {@code __type}
     */
    public void failNext(String operation, int times, String exceptionName) {
        failNext(operation, times, exceptionName, httpStatusOf(exceptionName));
    }

    /**
     * Answers the next calls of one operation with an error and an explicit HTTP status.
     *
     * @param operation the operation
     * @param times how many calls fail
     * @param exceptionName the {@code __type}
     * @param httpStatus the status, 400 to 599
     */
    public void failNext(String operation, int times, String exceptionName, int httpStatus) {
        faults.failOperationNext(operation, times, exceptionName, httpStatus);
    }

    /**
     * The HTTP status Cognito answers an error with: 500 for {@code InternalErrorException}, 403 for
     * {@code ForbiddenException} (AWS WAF's block, as the API reference gives it), 400 for every
     * other name (the AWS JSON protocol's client errors; the SDK's model agrees).
     *
     * @param exceptionName the error's name
     * @return the status
     */
    public static int httpStatusOf(String exceptionName) {
        return switch (exceptionName) {
            case "InternalErrorException" -> 500;
            case "ForbiddenException" -> 403;
            default -> 400;
        };
    }

    /**
     * Answers the next RevokeToken calls with an error and an explicit HTTP status.
     *
     * @param times how many calls fail
     * @param exceptionName the {@code __type}
     * @param httpStatus the status, 400 to 599
     */
    public void failNext(int times, String exceptionName, int httpStatus) {
        faults.failNext(times, exceptionName, httpStatus);
    }

    /**
     * Closes the connection of the next RevokeToken calls after reading the request, without
     * answering: the SDK sees an I/O error ({@code SdkClientException}). Nothing is revoked.
     *
     * @param times how many calls are cut off
     */
    public void resetConnectionNext(int times) {
        faults.resetConnectionNext(times);
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
    public void delayNext(int times, Duration delay) {
        faults.delayNext(times, delay);
    }

    /**
     * Forgets every failure, connection reset and delay queued by {@link #failNext}, {@link #resetConnectionNext},
     * {@link #delayNext} and {@link #failJwksNext} that no call has used up yet: from now on the stub
     * answers normally, as Cognito does once a throttling episode ends.
     */
    public void clearFailures() {
        faults.clear();
    }

    // ---------------------------------------------------------------- observation

    /**
     * Every RevokeToken request received so far, in arrival order (injected failures included).
     *
     * @return an immutable snapshot
     */
    public List<RevokeCall> revokeCalls() {
        return revokeLog.snapshot();
    }

    /**
     * How many RevokeToken requests were received.
     *
     * @return the size of {@link #revokeCalls()}
     */
    public int revokeCallCount() {
        return revokeLog.size();
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
    public boolean awaitRevokeCalls(int count, Duration timeout) throws InterruptedException {
        return revokeLog.await(count, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Every {@code GET /logout} the managed login received so far, in arrival order.
     *
     * @return an immutable snapshot
     */
    public List<ManagedLogoutCall> managedLogoutCalls() {
        return managedLogin.calls();
    }

    /**
     * How many managed-login sign-ins went through the form (a password was typed), and how many
     * the managed-login session answered without it.
     *
     * @return {@code [form, session]}
     */
    public int[] managedSignIns() {
        return new int[] {oauth.formSignIns(), oauth.sessionSignIns()};
    }

    /**
     * Where an OpenID Connect client finds the pool: discovery is at this URL +
     * {@code /.well-known/openid-configuration}.
     *
     * @return {@link #issuer()}
     */
    public String openIdProviderUri() {
        return issuer;
    }

    /** Forgets the recorded RevokeToken calls (a stub shared by several tests). */
    public void clearRevokeCalls() {
        revokeLog.clear();
    }

    /**
     * Stops the server at once and its threads; pending injected delays end at once and their calls
     * go unanswered. Idempotent.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        faults.close();
        server.stop();
    }

    // ---------------------------------------------------------------- helpers

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
}
