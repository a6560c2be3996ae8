package io.github.cognitorevoke.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.cognitorevoke.InvalidTokenException;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.RevocationUnavailableException;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Verifies a Cognito access token before anything is denylisted: RS256 signature against the
 * pool's JWKS, {@code iss}, {@code token_use=access}, {@code client_id} and {@code exp}.
 *
 * <p>Two kinds of failure are kept apart: a bad token ({@link InvalidTokenException}, the client's
 * fault) and a key set that could not be fetched ({@link RevocationUnavailableException}).
 */
public final class AccessTokenVerifier implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AccessTokenVerifier.class.getName());
    private static final int JWKS_TIMEOUT_MILLIS = 5_000;
    private static final int JWKS_SIZE_LIMIT = 64 * 1024;

    /** Longest access token verified; Cognito's are about 1 KB, so longer ones are refused unread. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final URI jwksUri;
    private final RecordingRetriever retriever;
    private final JWKSource<SecurityContext> keySource;
    private final String issuer;
    private final String clientId;
    // The RSA keys of the last successful fetch, each with its verifier: what vouchedSubject checks
    // against, never fetching. Null until a key set was fetched.
    private volatile Map<RSAKey, JWSVerifier> heldKeys;
    private volatile boolean keysFetchedOnce;
    private final WarnOnce warnings = new WarnOnce(LOG);
    private volatile RevocationObserver fetches = new RevocationObserver() { };

    /**
     * The verified claims this library needs. {@code jti} and {@code origin_jti} are null when the
     * app client has token revocation disabled: Cognito then puts neither into its tokens.
     * {@code authTime} is the sign-in's {@code auth_time} in epoch seconds, {@link Long#MIN_VALUE} if
     * the token has none.
     */
    public record Verified(String jti, String originJti, String sub, Instant issuedAt, Instant expiresAt,
                           long authTime) {

        /**
         * The verified claims of a token without {@code auth_time}.
         *
         * @param jti       the {@code jti}, or null
         * @param originJti the {@code origin_jti}, or null
         * @param sub       the {@code sub}
         * @param issuedAt  the {@code iat}
         * @param expiresAt the {@code exp}
         */
        public Verified(String jti, String originJti, String sub, Instant issuedAt, Instant expiresAt) {
            this(jti, originJti, sub, issuedAt, expiresAt, Long.MIN_VALUE);
        }
    }

    /**
     * Creates a verifier whose key set is fetched from {@code settings.jwksUri()}, cached, refetched
     * when a token names an unknown {@code kid}, and rate-limited.
     *
     * @param settings the settings
     * @param clock    the time source for {@code exp}
     */
    public AccessTokenVerifier(RevocationSettings settings, Clock clock) {
        JWKSource<SecurityContext> keys;
        jwksUri = settings.jwksUri();
        retriever = new RecordingRetriever(
                new DefaultResourceRetriever(JWKS_TIMEOUT_MILLIS, JWKS_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT));
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(settings.jwksUri().toURL(), retriever)
                    .retrying(true)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("jwksUri", e);
        }
        JWTClaimsSet exact = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .claim("token_use", "access")
                .claim("client_id", settings.clientId())
                .build();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                null, exact, Set.of("sub", "iat", "exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        keySource = keys;
        issuer = settings.issuer();
        clientId = settings.clientId();
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * Reports every fetch of the key set to an observer (metrics).
     *
     * @param observer told of each fetch
     */
    public void observeFetches(RevocationObserver observer) {
        this.fetches = observer;
    }

    /** @return the key source (tests reach its executor) */
    JWKSource<SecurityContext> keySource() {
        return keySource;
    }

    /** @return whether the pool's key set was fetched at least once (readiness) */
    public boolean keysFetchedOnce() {
        return keysFetchedOnce;
    }

    /**
     * Fetches the pool's key set into the cache unless it was fetched before, so that the first
     * logout does not wait for it and readiness can be told at deployment. Never throws: a
     * failure is logged once per cause and tried again on the next call.
     *
     * @return whether the key set has been fetched
     */
    public boolean prefetchKeys() {
        if (keysFetchedOnce) {
            return true;
        }
        try {
            keySource.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
            keysFetchedOnce = true; // fetched and parsed as a key set
        } catch (KeySourceException | RuntimeException e) {
            warnOutage(e);
        }
        return keysFetchedOnce;
    }

    /** Once per root cause, however Nimbus wraps it (the prefetch, a fetch, a rate-limited retry). */
    private void warnOutage(Throwable failure) {
        warnings.warn("jwks:" + root(failure).getClass().getName(), "cognito-revoke: cannot fetch the user pool's"
                + " signing keys from " + jwksUri + ": " + describe(failure) + "; logouts answer 503 until"
                + " they can be fetched (check the region, userPoolId, issuer and jwksUri init-params and"
                + " this server's outbound network access)");
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The innermost cause's class and message: no token ever reaches a key-set fetch. */
    static String describe(Throwable e) {
        Throwable root = root(e);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** Remembers whether the last fetch of the key set failed, and why. */
    private final class RecordingRetriever implements ResourceRetriever {
        private final ResourceRetriever delegate;
        volatile Exception lastFailure;

        RecordingRetriever(ResourceRetriever delegate) {
            this.delegate = delegate;
        }

        @Override
        public Resource retrieveResource(URL url) throws IOException {
            try {
                Resource resource = delegate.retrieveResource(url);
                lastFailure = null;
                hold(resource);
                fetches.jwksFetched(true);
                return resource;
            } catch (IOException e) {
                lastFailure = e;
                fetches.jwksFetched(false);
                throw e;
            }
        }
    }

    private void hold(Resource resource) {
        try {
            Map<RSAKey, JWSVerifier> keys = new LinkedHashMap<>();
            for (JWK key : JWKSet.parse(resource.getContent()).getKeys()) {
                if (key instanceof RSAKey rsa) {
                    keys.put(rsa, new RSASSAVerifier(rsa));
                }
            }
            heldKeys = keys;
        } catch (ParseException | JOSEException | RuntimeException e) {
            // Not a key set: Nimbus reports that fetch as failed; the keys held before stay.
        }
    }

    /**
     * Tells whose token this is, if this verifier can vouch for it without any network call: an
     * access or ID token of this issuer and app client, RS256-signed by a key of the key set last
     * fetched. Expiry is not checked: a rejected token is often an expired one, and its signature
     * still names its user. Never fetches keys (a caller could otherwise trigger fetches at will),
     * never throws.
     *
     * @param compact a compact JWS
     * @return its {@code sub}, or null when the token is not vouched for (forged, unsigned, signed by
     *         a key not held, foreign, or no key fetched yet)
     */
    public String vouchedSubject(String compact) {
        Map<RSAKey, JWSVerifier> keys = heldKeys;
        if (keys == null || compact.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        try {
            SignedJWT jwt = SignedJWT.parse(compact);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
                return null;
            }
            // The keys Nimbus's key selector would pick for this header (kid, type, use, alg).
            JWKMatcher matcher = JWKMatcher.forJWSHeader(jwt.getHeader());
            for (Map.Entry<RSAKey, JWSVerifier> key : keys.entrySet()) {
                if (matcher.matches(key.getKey()) && jwt.verify(key.getValue())) {
                    JWTClaimsSet claims = jwt.getJWTClaimsSet();
                    return issuedToThisClient(claims) ? claims.getSubject() : null;
                }
            }
        } catch (ParseException | JOSEException | RuntimeException e) {
            // Not vouched for; the request is rejected all the same.
        }
        return null;
    }

    private boolean issuedToThisClient(JWTClaimsSet claims) throws ParseException {
        if (!issuer.equals(claims.getIssuer())) {
            return false;
        }
        String use = claims.getStringClaim("token_use");
        return "access".equals(use) ? clientId.equals(claims.getStringClaim("client_id"))
                : "id".equals(use) && claims.getAudience().contains(clientId);
    }

    private static boolean rateLimited(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RateLimitReachedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Verifies an access token.
     *
     * @param token the compact JWT
     * @return its verified ids and times
     * @throws InvalidTokenException         if the token is not a valid access token of this client
     * @throws RevocationUnavailableException if the key set could not be fetched
     */
    public Verified verify(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("The access token is too long");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(SignedJWT.parse(token), null);
            keysFetchedOnce = true;
        } catch (ParseException | ClassCastException e) {
            throw new InvalidTokenException("The access token is not a signed JWT");
        } catch (BadJOSEException e) {
            LOG.log(System.Logger.Level.DEBUG, "access token rejected: {0}", e.getMessage());
            throw new InvalidTokenException("The access token is invalid, expired or not issued to this client");
        } catch (JOSEException e) {
            Throwable lastFailure = retriever.lastFailure;
            if (rateLimited(e) && lastFailure == null) {
                // The key set was fetched a moment ago and this kid is not in it: a bad token, not an
                // outage. (A flood of unknown kids must not turn into 503s or into fetches.)
                throw new InvalidTokenException("The access token is signed with an unknown key");
            }
            // Nimbus limits refetches: while the last fetch failed, a rate-limited attempt is the
            // same outage, and answered 503 every time.
            Throwable cause = lastFailure != null ? lastFailure : e;
            if (!rateLimited(e)) {
                retriever.lastFailure = e; // fetched but unusable (not a key set): the same outage
            }
            warnOutage(cause);
            throw new RevocationUnavailableException(
                    "The identity provider's signing keys cannot be fetched; try again later", e);
        }
        try {
            // An empty id names no token: never denylisted (the per-request search skips payloads too short for any other).
            return new Verified(tokenId(claims.getJWTID()), tokenId(claims.getStringClaim("origin_jti")),
                    claims.getSubject(), claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant(),
                    TokenIds.authTime(claims));
        } catch (ParseException e) {
            throw new InvalidTokenException("The access token's origin_jti claim is not a string");
        }
    }

    /**
     * Stops the key source's refresh-ahead executor: its thread is not a daemon and holds the
     * application's class loader, so it would outlive an undeployment.
     */
    @Override
    public void close() {
        if (keySource instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the key source failed: {0}", e.toString());
            }
        }
    }

    /** A token id as the denylist may take it: not empty, and not of the reserved sign-in form ({@link SignIn}). */
    private static String tokenId(String id) {
        return id == null || id.isEmpty() || SignIn.isSignIn(id) ? null : id;
    }
}
