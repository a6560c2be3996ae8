package io.github.cognitorevoke;

import io.github.cognitorevoke.internal.ManagedLogin;
import io.github.cognitorevoke.internal.Parameters;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The immutable settings of one application's cognito-revoke, parsed once at deployment.
 *
 * <p>In a WAR they come from the init-params of {@link RevocationFilter} in {@code web.xml}
 * (parsed by the library at deployment); plain Java code builds them with {@link #builder}. Every
 * value is checked when it is set, and a bad one throws {@link RevocationConfigurationException}
 * naming the parameter. {@link #toString()} never shows the client secret.
 */
public final class RevocationSettings {

    /** Init-param names, as written in {@code web.xml}. */
    public static final String REGION = "region";
    /** The user pool id, e.g. {@code eu-west-1_AbCdEfGhI}. */
    public static final String USER_POOL_ID = "userPoolId";
    /** The app client whose tokens are revoked. */
    public static final String CLIENT_ID = "clientId";
    /** The app client's secret, if it has one. */
    public static final String CLIENT_SECRET = "clientSecret";
    /** Cognito endpoint override (an emulator, a VPC endpoint). */
    public static final String ENDPOINT = "endpoint";
    /** The expected {@code iss} claim. */
    public static final String ISSUER = "issuer";
    /** Where the pool's signing keys are published. */
    public static final String JWKS_URI = "jwksUri";
    /** Comma-separated context-relative logout paths. */
    public static final String LOGOUT_PATHS = "logoutPaths";
    /** Relative URL to redirect to (303) after a completed logout. */
    public static final String LOGOUT_REDIRECT = "logoutRedirect";
    /** Cookie that carries the access token when there is no {@code Authorization} header. */
    public static final String ACCESS_TOKEN_COOKIE = "accessTokenCookie";
    /** Cookie that carries the refresh token when the logout form has none. */
    public static final String REFRESH_TOKEN_COOKIE = "refreshTokenCookie";
    /**
     * Comma-separated context-relative paths where {@code POST} signs the user out everywhere
     * (Cognito's {@code GlobalSignOut} and a cut-off for every token of the user issued until then),
     * with the same rules and answers as a logout; none by default. No path may also be a logout path.
     */
    public static final String SIGN_OUT_EVERYWHERE_PATHS = "signOutEverywherePaths";
    /**
     * The user pool's managed-login (Hosted UI) domain, e.g.
     * {@code https://myapp.auth.eu-west-1.amazoncognito.com} or a custom domain: the scheme and host
     * (and port) only. With {@link #LOGOUT_URI}, a logout from a browser ends at this domain's
     * {@code /logout}, which ends the managed-login session too. {@code http://} only for loopback
     * hosts (an emulator).
     */
    public static final String COGNITO_DOMAIN = "cognitoDomain";
    /**
     * The absolute URL that Cognito's {@code /logout} sends the browser to afterwards; it must be one
     * of the app client's allowed sign-out URLs. Required with {@link #COGNITO_DOMAIN} and only with it.
     */
    public static final String LOGOUT_URI = "logoutUri";
    /**
     * The session cookie prefix of an AWS Application Load Balancer that signs users in with Cognito
     * (the listener's {@code SessionCookieName}, ALB default {@code AWSELBAuthSessionCookie}). With
     * it a logout reads the access token from {@code X-Amzn-Oidc-Accesstoken} and expires every
     * {@code <prefix>-N} cookie the request carries.
     */
    public static final String ALB_SESSION_COOKIE = "albSessionCookie";
    /** Class name of a {@link TokenResolver} that replaces the default one. */
    public static final String TOKEN_RESOLVER = "tokenResolver";
    /**
     * Tolerated clock difference when checking {@code exp}; default 60 seconds. A revoked token
     * stays denylisted until its {@code exp} plus this skew, so it must be at least the skew the
     * application's own verifier accepts (Nimbus and most JWT libraries accept 60 seconds).
     */
    public static final String CLOCK_SKEW = "clockSkew";
    /** Time limit of one call to Cognito; default 5 seconds. */
    public static final String COGNITO_TIMEOUT = "cognitoTimeout";
    /**
     * The longest lifetime of any token of a family (access or ID token) that the user pool
     * issues; default 1 day, Cognito's longest access- and ID-token validity. A family
     * ({@code origin_jti}) stays denylisted at least this long after a logout, since an ID token
     * of the family may outlive the access token presented at logout.
     */
    public static final String MAX_TOKEN_LIFETIME = "maxTokenLifetime";
    /**
     * How long a revocation that Cognito has not confirmed (it was unreachable or throttling) is
     * retried before it is dropped with a warning; default 1 day. A family with a revocation
     * pending stays denylisted until this deadline plus {@link #MAX_TOKEN_LIFETIME} plus
     * {@link #CLOCK_SKEW}.
     */
    public static final String PENDING_DEADLINE = "pendingDeadline";
    /**
     * The most pending revocations that arrived with a refresh token alone (unverified: anyone can
     * send one); default 10000. When it is reached, a new such logout is answered 503 without
     * calling Cognito; work already accepted is kept until its deadline.
     */
    public static final String MAX_PENDING_REVOCATIONS = "maxPendingRevocations";
    /**
     * The most memory, in bytes, that unverified pending revocations may hold (the refresh tokens
     * plus a fixed overhead per entry); default 8 MiB. Written as a plain byte count or with the
     * suffix {@code k} (KiB) or {@code m} (MiB), e.g. {@code 8m}.
     */
    public static final String MAX_PENDING_BYTES = "maxPendingBytes";
    /**
     * Whether each logout and sign-out everywhere is written as one INFO line (outcome, {@code sub},
     * {@code jti}; never a token) to the logger {@code io.github.cognitorevoke.audit}; {@code true}
     * or {@code false}, default {@code true}.
     */
    public static final String AUDIT_LOG = "auditLog";
    /**
     * The Redis or Valkey server that nodes of this application share their denylist through:
     * {@code redis://[user:password@]host[:port][/db]} or {@code rediss://...} (TLS); a Redis Cluster's
     * configuration endpoint the same way; or Sentinel,
     * {@code redis-sentinel://[user:password@]host[:port][,host[:port]...][/db]?sentinelMasterId=NAME}
     * ({@code rediss-sentinel://} for TLS). Absent: the
     * denylist is this node's alone. Needs {@code io.lettuce:lettuce-core} in the WAR.
     */
    public static final String REDIS_URI = "redisUri";
    /**
     * The prefix of every key the library writes to Redis; default {@code cognito-revoke:}. Nodes
     * of one application use the same prefix; another application or pool on the same Redis uses
     * another. On a Redis Cluster the prefix needs a part in braces, a hash tag (e.g.
     * <code>{cognito-revoke}:</code>): every key of one prefix then lives in one hash slot, as the
     * scripts that write several of them at once need.
     */
    public static final String REDIS_KEY_PREFIX = "redisKeyPrefix";
    /**
     * A base64 AES-256 key (32 bytes) that encrypts what is secret in Redis: the refresh tokens of
     * pending revocations. Without it nothing secret is written to Redis and pending revocations stay
     * on the node that accepted them.
     */
    public static final String REDIS_ENCRYPTION_KEY = "redisEncryptionKey";
    /**
     * How long a logout waits for Redis to confirm its entries before it answers 202 (the entry
     * stands on this node and is replayed to Redis later); also the time limit of every Redis
     * command. Default 500 ms.
     */
    public static final String REDIS_TIMEOUT = "redisTimeout";
    /**
     * How long a deployment waits for the first sync of the shared denylist before it serves
     * requests anyway (not ready until the sync completes); default 10 seconds.
     */
    public static final String REDIS_SYNC_TIMEOUT = "redisSyncTimeout";
    /**
     * The most denylist writes kept while Redis is unreachable, replayed when it returns; default
     * 100000. Beyond it the oldest writes are dropped from the replay (with a warning); the entries
     * stay on this node.
     */
    public static final String REDIS_MAX_BUFFERED_WRITES = "redisMaxBufferedWrites";
    /**
     * How long a node's claim on its pending revocations in Redis lasts without renewal (renewed
     * every second); when a node dies, another takes its pending revocations over after this.
     * Default 10 seconds.
     */
    public static final String REDIS_LEASE = "redisLease";

    /** Every init-param name the library knows; any other name fails the deployment. */
    public static final Set<String> PARAMETERS = Parameters.names();

    private static final Pattern REGION_PATTERN = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern POOL_SUFFIX = Pattern.compile("[0-9A-Za-z]+");
    private static final Pattern LOOSE_ID = Pattern.compile("[\\w-]{1,128}");
    private static final Pattern CLIENT_ID_PATTERN = Pattern.compile("[\\w+]{1,128}");
    // RFC 6265 cookie-name: an RFC 7230 token.
    private static final Pattern COOKIE_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]{1,256}");
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e&&[^?#*;]]*");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Duration MAX_COGNITO_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    private static final Duration MAX_LIFETIME = Duration.ofDays(30);
    private static final int MAX_PENDING_COUNT_LIMIT = 10_000_000;
    private static final long MIN_PENDING_BYTES = 16 * 1024;
    private static final long MAX_PENDING_BYTES_LIMIT = 1024L * 1024 * 1024;
    private static final Pattern KEY_PREFIX = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final Pattern REDIS_PATH = Pattern.compile("(/\\d{0,5})?");
    private static final Pattern SENTINEL_HOSTS =
            Pattern.compile("[A-Za-z0-9.-]{1,253}(:\\d{1,5})?(,[A-Za-z0-9.-]{1,253}(:\\d{1,5})?){0,15}");
    private static final Pattern SENTINEL_QUERY = Pattern.compile("sentinelMasterId=[A-Za-z0-9._-]{1,64}");

    // Never changed after the constructor: the settings are immutable, and safely published
    // through this final field.
    private final Values values;
    // A view of the same values; redis() hands it out only when redisUri is set.
    private final Redis redis;

    private RevocationSettings(Values values) {
        this.values = values;
        this.redis = new Redis(values);
        if (values.issuer == null) {
            values.issuer = "https://cognito-idp." + values.region + ".amazonaws.com/" + values.userPoolId;
        }
        if (values.jwksUri == null) {
            values.jwksUri = uri(JWKS_URI, values.issuer + "/.well-known/jwks.json");
        }
    }

    /**
     * Starts settings with the three required values.
     *
     * @param region     AWS region of the user pool, e.g. {@code eu-west-1}
     * @param userPoolId the user pool id, e.g. {@code eu-west-1_AbCdEfGhI}
     * @param clientId   the app client whose tokens are revoked
     * @return a builder
     */
    public static Builder builder(String region, String userPoolId, String clientId) {
        return new Builder(region, userPoolId, clientId);
    }

    /** @return the AWS region of the user pool */
    public String region() {
        return values.region;
    }

    /** @return the user pool id */
    public String userPoolId() {
        return values.userPoolId;
    }

    /** @return the app client id */
    public String clientId() {
        return values.clientId;
    }

    /** @return the app client secret, if the client has one */
    public Optional<String> clientSecret() {
        return Optional.ofNullable(values.clientSecret);
    }

    /** @return the Cognito endpoint override, if any */
    public Optional<URI> endpoint() {
        return Optional.ofNullable(values.endpoint);
    }

    /** @return the expected {@code iss} claim */
    public String issuer() {
        return values.issuer;
    }

    /** @return where the pool's signing keys are published */
    public URI jwksUri() {
        return values.jwksUri;
    }

    /** @return the context-relative logout paths */
    public Set<String> logoutPaths() {
        return values.logoutPaths;
    }

    /** @return the relative URL to redirect to after a completed logout, if any */
    public Optional<String> logoutRedirect() {
        return Optional.ofNullable(values.logoutRedirect);
    }

    /** @return the cookie that carries the access token, if any */
    public Optional<String> accessTokenCookie() {
        return Optional.ofNullable(values.accessTokenCookie);
    }

    /** @return the cookie that carries the refresh token, if any */
    public Optional<String> refreshTokenCookie() {
        return Optional.ofNullable(values.refreshTokenCookie);
    }

    /** @return the context-relative sign-out-everywhere paths; empty when none is set */
    public Set<String> signOutEverywherePaths() {
        return values.signOutEverywherePaths;
    }

    /** @return the managed-login domain ({@code scheme://host[:port]}, no trailing slash), if set */
    public Optional<URI> cognitoDomain() {
        return Optional.ofNullable(values.cognitoDomain);
    }

    /** @return where Cognito's {@code /logout} sends the browser; present exactly when {@link #cognitoDomain()} is */
    public Optional<URI> logoutUri() {
        return Optional.ofNullable(values.logoutUri);
    }

    /** @return the load balancer's session cookie prefix, if set */
    public Optional<String> albSessionCookie() {
        return Optional.ofNullable(values.albSessionCookie);
    }

    /** @return the class name of a custom {@link TokenResolver}, if any */
    public Optional<String> tokenResolver() {
        return Optional.ofNullable(values.tokenResolver);
    }

    /** @return the tolerated clock difference when checking {@code exp} */
    public Duration clockSkew() {
        return values.clockSkew;
    }

    /** @return the time limit of one call to Cognito */
    public Duration cognitoTimeout() {
        return values.cognitoTimeout;
    }

    /** @return the longest lifetime of any access or ID token of a family */
    public Duration maxTokenLifetime() {
        return values.maxTokenLifetime;
    }

    /** @return how long an unconfirmed revocation is retried before it is dropped */
    public Duration pendingDeadline() {
        return values.pendingDeadline;
    }

    /** @return the most unverified pending revocations */
    public int maxPendingRevocations() {
        return values.maxPendingRevocations;
    }

    /** @return the most bytes unverified pending revocations may hold */
    public long maxPendingBytes() {
        return values.maxPendingBytes;
    }

    /** @return whether each logout is written as an INFO line to {@code io.github.cognitorevoke.audit} */
    public boolean auditLog() {
        return values.auditLog;
    }

    /**
     * The shared tier's settings, grouped.
     *
     * @return the Redis part, present when {@link #REDIS_URI} is set
     */
    public Optional<Redis> redis() {
        return values.redisUri == null ? Optional.empty() : Optional.of(redis);
    }

    // The flat redis* accessors predate redis() and stay for compatibility; new Redis settings go in Redis only.

    /** @return the Redis server the denylist is shared through, if any (it may carry a password) */
    public Optional<URI> redisUri() {
        return redis().map(Redis::uri);
    }

    /** @return {@link #redisUri()} without its password, for messages */
    public Optional<String> redisServer() {
        return redis().map(Redis::server);
    }

    /** @return {@link Redis#keyPrefix()}, also when Redis is not set */
    public String redisKeyPrefix() {
        return redis.keyPrefix();
    }

    /** @return {@link Redis#encryptionKey()}, also when Redis is not set */
    public Optional<byte[]> redisEncryptionKey() {
        return redis.encryptionKey();
    }

    /** @return {@link Redis#timeout()}, also when Redis is not set */
    public Duration redisTimeout() {
        return redis.timeout();
    }

    /** @return {@link Redis#syncTimeout()}, also when Redis is not set */
    public Duration redisSyncTimeout() {
        return redis.syncTimeout();
    }

    /** @return {@link Redis#maxBufferedWrites()}, also when Redis is not set */
    public int redisMaxBufferedWrites() {
        return redis.maxBufferedWrites();
    }

    /** @return {@link Redis#lease()}, also when Redis is not set */
    public Duration redisLease() {
        return redis.lease();
    }

    /**
     * The Redis Cluster hash tag of a key prefix: what lies between its first <code>{</code> and the
     * first <code>}</code> after it, if that is not empty. Redis hashes only the tag of a key that has
     * one, so every key that starts with a prefix holding a tag lies in one hash slot whatever follows.
     *
     * @param prefix a key prefix
     * @return the tag, or empty if the prefix holds none (its keys spread over the slots)
     */
    public static Optional<String> hashTag(String prefix) {
        int open = prefix.indexOf('{');
        int close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
        return close > open + 1 ? Optional.of(prefix.substring(open + 1, close)) : Optional.empty();
    }

    private static String withoutPassword(URI uri) {
        String info = userInfo(uri);
        if (info == null) {
            return uri.toString();
        }
        int colon = info.indexOf(':');
        String shown = colon < 0 ? "***" : info.substring(0, colon) + ":***";
        return uri.getScheme() + "://" + shown + "@" + uri.getRawAuthority().substring(info.length() + 1)
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /**
     * The user info of a Redis URI ({@code user:password}), also of a Sentinel URI, whose list of
     * hosts Java's URI does not parse as a server.
     *
     * @param uri a {@code redisUri}
     * @return its raw user info, or null
     */
    public static String userInfo(URI uri) {
        if (uri.getRawUserInfo() != null) {
            return uri.getRawUserInfo();
        }
        String authority = uri.getRawAuthority();
        int at = authority == null ? -1 : authority.lastIndexOf('@');
        return at < 0 ? null : authority.substring(0, at);
    }

    @Override
    public String toString() {
        return "RevocationSettings[" + Parameters.describe(this) + "]";
    }

    private static URI uri(String parameter, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || uri.getHost() == null) {
                throw new RevocationConfigurationException(parameter,
                        "'" + value + "' is not an absolute http:// or https:// URL");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new RevocationConfigurationException(parameter,
                        "'" + value + "' must not carry user info, a query or a fragment");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new RevocationConfigurationException(parameter, "'" + value + "' is not a URL: " + e.getReason());
        }
    }

    private static String required(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new RevocationConfigurationException(parameter, "is required");
        }
        return value.strip();
    }

    /**
     * The settings of the shared tier (Redis or Valkey) through which the nodes of one application
     * share their denylist; see {@link RevocationSettings#redis()}. {@link #toString()} is
     * {@code Object}'s: the URI may carry a password.
     */
    public static final class Redis {
        private final Values values;

        private Redis(Values values) {
            this.values = values;
        }

        /** @return the server: {@code redis://}, {@code rediss://} or a Sentinel URI (it may carry a password) */
        public URI uri() {
            return values.redisUri;
        }

        /** @return {@link #uri()} without its password, for messages */
        public String server() {
            return withoutPassword(values.redisUri);
        }

        /** @return the prefix of every key written to Redis */
        public String keyPrefix() {
            return values.redisKeyPrefix;
        }

        /** @return a copy of the AES-256 key that encrypts secrets stored in Redis, if set */
        public Optional<byte[]> encryptionKey() {
            return Optional.ofNullable(values.redisEncryptionKey).map(byte[]::clone);
        }

        /** @return how long a logout waits for Redis, and the limit of each Redis command */
        public Duration timeout() {
            return values.redisTimeout;
        }

        /** @return how long a deployment waits for the first sync of the shared denylist */
        public Duration syncTimeout() {
            return values.redisSyncTimeout;
        }

        /** @return the most denylist writes kept while Redis is unreachable */
        public int maxBufferedWrites() {
            return values.redisMaxBufferedWrites;
        }

        /** @return how long a node's claim on its pending revocations lasts without renewal */
        public Duration lease() {
            return values.redisLease;
        }
    }

    /**
     * Builds {@link RevocationSettings}. Each setter checks its value and throws
     * {@link RevocationConfigurationException} naming the parameter when it is malformed.
     */
    public static final class Builder {
        private final Values values = new Values();

        private Builder(String region, String userPoolId, String clientId) {
            values.region = required(REGION, region);
            if (!REGION_PATTERN.matcher(values.region).matches()) {
                throw new RevocationConfigurationException(REGION,
                        "'" + values.region + "' is not an AWS region such as eu-west-1");
            }
            values.userPoolId = required(USER_POOL_ID, userPoolId);
            if (!LOOSE_ID.matcher(values.userPoolId).matches()) {
                throw new RevocationConfigurationException(USER_POOL_ID,
                        "'" + values.userPoolId + "' is not a user pool id such as " + values.region + "_AbCdEfGhI");
            }
            values.clientId = required(CLIENT_ID, clientId);
            if (!CLIENT_ID_PATTERN.matcher(values.clientId).matches()) {
                throw new RevocationConfigurationException(CLIENT_ID,
                        "'" + values.clientId + "' is not an app client id (letters, digits, '_' and '+')");
            }
        }

        /**
         * @param secret the app client's secret; never shown in a message
         * @return this builder
         */
        public Builder clientSecret(String secret) {
            values.clientSecret = required(CLIENT_SECRET, secret);
            return this;
        }

        /**
         * @param endpoint the Cognito endpoint override, {@code http://} or {@code https://}
         * @return this builder
         */
        public Builder endpoint(String endpoint) {
            values.endpoint = uri(ENDPOINT, required(ENDPOINT, endpoint));
            return this;
        }

        /**
         * @param issuer the expected {@code iss}; default
         *               {@code https://cognito-idp.{region}.amazonaws.com/{userPoolId}}
         * @return this builder
         */
        public Builder issuer(String issuer) {
            values.issuer = uri(ISSUER, required(ISSUER, issuer)).toString();
            return this;
        }

        /**
         * @param jwksUri where the signing keys are; default {@code {issuer}/.well-known/jwks.json}
         * @return this builder
         */
        public Builder jwksUri(String jwksUri) {
            values.jwksUri = uri(JWKS_URI, required(JWKS_URI, jwksUri));
            return this;
        }

        /**
         * @param paths context-relative logout paths, each starting with {@code /}; default
         *              {@code /logout}
         * @return this builder
         */
        public Builder logoutPaths(Set<String> paths) {
            values.logoutPaths = paths(LOGOUT_PATHS, paths, "/logout");
            return this;
        }

        private static Set<String> paths(String parameter, Set<String> paths, String example) {
            if (paths == null || paths.isEmpty()) {
                throw new RevocationConfigurationException(parameter, "needs at least one path");
            }
            for (String path : paths) {
                if (path == null || !PATH.matcher(path).matches()) {
                    throw new RevocationConfigurationException(parameter, "'" + path
                            + "' is not a context-relative path such as " + example + " (no wildcards, query or spaces)");
                }
            }
            return Set.copyOf(paths);
        }

        /**
         * @param redirect a relative URL (a path such as {@code /bye.html}, resolved against the
         *                 context path); absolute and protocol-relative URLs are refused so that
         *                 logout cannot become an open redirect
         * @return this builder
         */
        public Builder logoutRedirect(String redirect) {
            String value = required(LOGOUT_REDIRECT, redirect);
            if (value.startsWith("//") || value.startsWith("/\\") || value.startsWith("\\")
                    || SCHEME.matcher(value).find() || value.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
                throw new RevocationConfigurationException(LOGOUT_REDIRECT, "'" + value
                        + "' must be a relative URL such as /index.html (no scheme, no //host, no spaces)");
            }
            values.logoutRedirect = value;
            return this;
        }

        /**
         * @param name the cookie that carries the access token
         * @return this builder
         */
        public Builder accessTokenCookie(String name) {
            values.accessTokenCookie = cookie(ACCESS_TOKEN_COOKIE, name);
            return this;
        }

        /**
         * @param name the cookie that carries the refresh token
         * @return this builder
         */
        public Builder refreshTokenCookie(String name) {
            values.refreshTokenCookie = cookie(REFRESH_TOKEN_COOKIE, name);
            return this;
        }

        /**
         * @param paths context-relative paths where {@code POST} signs the user out everywhere, each
         *              starting with {@code /}; none of them may be a logout path
         * @return this builder
         */
        public Builder signOutEverywherePaths(Set<String> paths) {
            values.signOutEverywherePaths = paths(SIGN_OUT_EVERYWHERE_PATHS, paths, "/signout-everywhere");
            return this;
        }

        /**
         * @param domain the managed-login domain, {@code https://} and the host (and port) only, e.g.
         *               {@code https://myapp.auth.eu-west-1.amazoncognito.com}; {@code http://} only
         *               for a loopback host (127.0.0.0/8, {@code ::1}, {@code localhost}); needs
         *               {@link #logoutUri}
         * @return this builder
         */
        public Builder cognitoDomain(String domain) {
            values.cognitoDomain = ManagedLogin.domain(COGNITO_DOMAIN, required(COGNITO_DOMAIN, domain));
            return this;
        }

        /**
         * @param uri the absolute URL Cognito's {@code /logout} sends the browser to, one of the app
         *            client's allowed sign-out URLs: {@code https://}, or {@code http://} for a
         *            loopback host, no user info or fragment; needs {@link #cognitoDomain}
         * @return this builder
         */
        public Builder logoutUri(String uri) {
            values.logoutUri = ManagedLogin.browserUrl(LOGOUT_URI, required(LOGOUT_URI, uri),
                    "https://app.example.com/signed-out");
            return this;
        }

        /**
         * @param prefix the load balancer's session cookie prefix, e.g. {@code AWSELBAuthSessionCookie}
         *               (a cookie name: letters, digits and {@code !#$%&'*+-.^_`|~})
         * @return this builder
         */
        public Builder albSessionCookie(String prefix) {
            values.albSessionCookie = cookie(ALB_SESSION_COOKIE, prefix);
            return this;
        }

        /**
         * @param className a public {@link TokenResolver} class with a public no-argument constructor
         * @return this builder
         */
        public Builder tokenResolver(String className) {
            String value = required(TOKEN_RESOLVER, className);
            if (!value.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*")) {
                throw new RevocationConfigurationException(TOKEN_RESOLVER, "'" + value + "' is not a class name");
            }
            values.tokenResolver = value;
            return this;
        }

        /**
         * @param skew tolerated clock difference when checking {@code exp}, 0 to 5 minutes
         * @return this builder
         */
        public Builder clockSkew(Duration skew) {
            if (skew == null || skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new RevocationConfigurationException(CLOCK_SKEW, "'" + skew + "' must lie between 0s and 5m");
            }
            values.clockSkew = skew;
            return this;
        }

        /**
         * @param timeout time limit of one call to Cognito, above 0 and at most 1 minute
         * @return this builder
         */
        public Builder cognitoTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()
                    || timeout.compareTo(MAX_COGNITO_TIMEOUT) > 0) {
                throw new RevocationConfigurationException(COGNITO_TIMEOUT,
                        "'" + timeout + "' must be above 0s and at most 1m");
            }
            values.cognitoTimeout = timeout;
            return this;
        }

        /**
         * @param lifetime the longest lifetime of any access or ID token the pool issues, 1 minute
         *                 to 30 days; default 1 day
         * @return this builder
         */
        public Builder maxTokenLifetime(Duration lifetime) {
            values.maxTokenLifetime = between(MAX_TOKEN_LIFETIME, lifetime, MIN_LIFETIME, MAX_LIFETIME);
            return this;
        }

        /**
         * @param deadline how long an unconfirmed revocation is retried, 1 minute to 30 days; default 1 day
         * @return this builder
         */
        public Builder pendingDeadline(Duration deadline) {
            values.pendingDeadline = between(PENDING_DEADLINE, deadline, MIN_LIFETIME, MAX_LIFETIME);
            return this;
        }

        /**
         * @param max the most unverified pending revocations, 1 to 10,000,000; default 10,000
         * @return this builder
         */
        public Builder maxPendingRevocations(int max) {
            values.maxPendingRevocations = count(MAX_PENDING_REVOCATIONS, max);
            return this;
        }

        /**
         * @param bytes the most bytes unverified pending revocations may hold, 16 KiB to 1 GiB;
         *              default 8 MiB
         * @return this builder
         */
        public Builder maxPendingBytes(long bytes) {
            if (bytes < MIN_PENDING_BYTES || bytes > MAX_PENDING_BYTES_LIMIT) {
                throw new RevocationConfigurationException(MAX_PENDING_BYTES,
                        "'" + bytes + "' must lie between 16k (" + MIN_PENDING_BYTES + ") and 1024m ("
                                + MAX_PENDING_BYTES_LIMIT + ") bytes");
            }
            values.maxPendingBytes = bytes;
            return this;
        }

        /**
         * @param enabled whether each logout is written as an INFO line to
         *                {@code io.github.cognitorevoke.audit}; default true
         * @return this builder
         */
        public Builder auditLog(boolean enabled) {
            values.auditLog = enabled;
            return this;
        }

        /**
         * @param uri {@code redis://[user:password@]host[:port][/db]}, {@code rediss://...}, or a Sentinel URI
         *            ({@code redis-sentinel://host:port,host:port[/db]?sentinelMasterId=NAME}); the
         *            password is never shown in a message
         * @return this builder
         */
        public Builder redisUri(String uri) {
            String value = required(REDIS_URI, uri);
            String problem = "is not redis://[user:password@]host[:port][/db] or rediss://...";
            URI parsed;
            try {
                parsed = new URI(value);
            } catch (URISyntaxException e) {
                throw new RevocationConfigurationException(REDIS_URI, problem);
            }
            String scheme = parsed.getScheme();
            if ("redis-sentinel".equalsIgnoreCase(scheme) || "rediss-sentinel".equalsIgnoreCase(scheme)) {
                values.redisUri = sentinel(parsed);
                return this;
            }
            if (!("redis".equalsIgnoreCase(scheme) || "rediss".equalsIgnoreCase(scheme))) {
                throw new RevocationConfigurationException(REDIS_URI, problem
                        + " (the scheme must be redis, rediss, redis-sentinel or rediss-sentinel)");
            }
            if (parsed.getHost() == null) {
                throw new RevocationConfigurationException(REDIS_URI, problem + " (no host, or a malformed one)");
            }
            if (parsed.getPort() == 0 || parsed.getPort() > 65535) {
                throw new RevocationConfigurationException(REDIS_URI, problem + " (the port must lie between 1 and 65535)");
            }
            if (parsed.getRawQuery() != null || parsed.getRawFragment() != null
                    || !REDIS_PATH.matcher(parsed.getRawPath() == null ? "" : parsed.getRawPath()).matches()) {
                throw new RevocationConfigurationException(REDIS_URI, problem
                        + " (after the host only a database number such as /0 may follow)");
            }
            values.redisUri = parsed;
            return this;
        }

        /** Checks a Sentinel URI: {@code redis-sentinel://[user:password@]host[:port][,host[:port]...][/db]?sentinelMasterId=NAME}. */
        private static URI sentinel(URI parsed) {
            String problem = "is not redis-sentinel://[user:password@]host[:port][,host[:port]...][/db]"
                    + "?sentinelMasterId=NAME";
            String authority = parsed.getRawAuthority();
            String info = userInfo(parsed);
            String hosts = authority == null ? "" : info == null ? authority : authority.substring(info.length() + 1);
            if (!SENTINEL_HOSTS.matcher(hosts).matches()) {
                throw new RevocationConfigurationException(REDIS_URI, problem + " (the sentinels must be host:port pairs"
                        + " separated by commas)");
            }
            for (String host : hosts.split(",")) {
                int colon = host.indexOf(':');
                int port = colon < 0 ? 26379 : Integer.parseInt(host.substring(colon + 1));
                if (port == 0 || port > 65535) {
                    throw new RevocationConfigurationException(REDIS_URI, problem + " (a port must lie between 1 and 65535)");
                }
            }
            if (parsed.getRawFragment() != null || parsed.getRawQuery() == null
                    || !SENTINEL_QUERY.matcher(parsed.getRawQuery()).matches()
                    || !REDIS_PATH.matcher(parsed.getRawPath() == null ? "" : parsed.getRawPath()).matches()) {
                throw new RevocationConfigurationException(REDIS_URI, problem + " (after the sentinels only a database"
                        + " number such as /0 and the query sentinelMasterId=NAME may follow)");
            }
            return parsed;
        }

        /**
         * @param prefix the prefix of every key written to Redis: 1 to 128 visible ASCII characters
         *               whose first <code>{</code>, if any, opens a hash tag that a <code>}</code> in
         *               the prefix closes, e.g. <code>{shop}:</code>; default {@code cognito-revoke:}.
         *               A Redis Cluster needs the tag (see {@link RevocationSettings#hashTag})
         * @return this builder
         */
        public Builder redisKeyPrefix(String prefix) {
            String value = required(REDIS_KEY_PREFIX, prefix);
            if (!KEY_PREFIX.matcher(value).matches()) {
                throw new RevocationConfigurationException(REDIS_KEY_PREFIX,
                        "'" + value + "' must be 1 to 128 visible ASCII characters (no spaces)");
            }
            if (value.indexOf('{') >= 0 && hashTag(value).isEmpty()) {
                // A '{' left open (or an empty tag) lets the rest of the key name, a token id sent by a client,
                // choose the key's hash slot.
                throw new RevocationConfigurationException(REDIS_KEY_PREFIX, "'" + value + "' opens a hash tag that"
                        + " it does not close: the first '{' must be followed by at least one character and a '}',"
                        + " e.g. {shop}:");
            }
            values.redisKeyPrefix = value;
            return this;
        }

        /**
         * @param base64Key a base64 (standard or URL-safe) AES-256 key of 32 bytes, e.g. from
         *                  {@code openssl rand -base64 32}; never shown in a message
         * @return this builder
         */
        public Builder redisEncryptionKey(String base64Key) {
            String value = required(REDIS_ENCRYPTION_KEY, base64Key);
            byte[] key;
            try {
                key = (value.indexOf('-') >= 0 || value.indexOf('_') >= 0 ? java.util.Base64.getUrlDecoder()
                        : java.util.Base64.getDecoder()).decode(value);
            } catch (IllegalArgumentException e) {
                throw new RevocationConfigurationException(REDIS_ENCRYPTION_KEY,
                        "is not base64; make one with: openssl rand -base64 32");
            }
            if (key.length != 32) {
                throw new RevocationConfigurationException(REDIS_ENCRYPTION_KEY, "decodes to " + key.length
                        + " bytes, not the 32 of an AES-256 key; make one with: openssl rand -base64 32");
            }
            values.redisEncryptionKey = key;
            return this;
        }

        /**
         * @param timeout how long a logout waits for Redis and the limit of each Redis command,
         *                10 ms to 10 s; default 500 ms
         * @return this builder
         */
        public Builder redisTimeout(Duration timeout) {
            values.redisTimeout = between(REDIS_TIMEOUT, timeout, Duration.ofMillis(10), Duration.ofSeconds(10));
            return this;
        }

        /**
         * @param timeout how long a deployment waits for the first sync, 0 to 5 minutes; default 10 s
         * @return this builder
         */
        public Builder redisSyncTimeout(Duration timeout) {
            values.redisSyncTimeout = between(REDIS_SYNC_TIMEOUT, timeout, Duration.ZERO, Duration.ofMinutes(5));
            return this;
        }

        /**
         * @param max the most denylist writes kept while Redis is unreachable, 1 to 10,000,000;
         *            default 100,000
         * @return this builder
         */
        public Builder redisMaxBufferedWrites(int max) {
            values.redisMaxBufferedWrites = count(REDIS_MAX_BUFFERED_WRITES, max);
            return this;
        }

        /**
         * @param lease how long a node's claim on its pending revocations lasts without renewal,
         *              2 seconds to 5 minutes; default 10 s
         * @return this builder
         */
        public Builder redisLease(Duration lease) {
            values.redisLease = between(REDIS_LEASE, lease, Duration.ofSeconds(2), Duration.ofMinutes(5));
            return this;
        }

        private static int count(String parameter, int value) {
            if (value < 1 || value > MAX_PENDING_COUNT_LIMIT) {
                throw new RevocationConfigurationException(parameter,
                        "'" + value + "' must lie between 1 and " + MAX_PENDING_COUNT_LIMIT);
            }
            return value;
        }

        private static Duration between(String parameter, Duration value, Duration min, Duration max) {
            if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new RevocationConfigurationException(parameter,
                        "'" + value + "' must lie between " + min + " and " + max);
            }
            return value;
        }

        /**
         * Checks the settings as a whole and builds them.
         *
         * @return the immutable settings
         */
        public RevocationSettings build() {
            // Outside an emulator the pool id carries its region: a mismatch is a typo that would
            // make every token fail the issuer check.
            if (values.endpoint == null) {
                String pool = values.userPoolId;
                String region = values.region;
                int underscore = pool.indexOf('_');
                if (underscore < 0 || !pool.substring(0, underscore).equals(region)
                        || !POOL_SUFFIX.matcher(pool.substring(underscore + 1)).matches()) {
                    throw new RevocationConfigurationException(USER_POOL_ID, "'" + pool
                            + "' is not a user pool id of region " + region + " (expected " + region + "_AbCdEfGhI)");
                }
            }
            checkBrowserSettings();
            return new RevocationSettings(values.copy());
        }

        /** The settings that only make sense together, or only apart. */
        private void checkBrowserSettings() {
            if (values.cognitoDomain != null && values.logoutUri == null) {
                throw new RevocationConfigurationException(LOGOUT_URI, "is required with " + COGNITO_DOMAIN
                        + ": the URL Cognito's /logout sends the browser to, one of the app client's allowed"
                        + " sign-out URLs");
            }
            if (values.logoutUri != null && values.cognitoDomain == null) {
                throw new RevocationConfigurationException(COGNITO_DOMAIN, "is required with " + LOGOUT_URI
                        + ": the user pool's managed-login domain, such as"
                        + " https://myapp.auth.eu-west-1.amazoncognito.com");
            }
            for (String path : values.signOutEverywherePaths) {
                if (values.logoutPaths.contains(path)) {
                    throw new RevocationConfigurationException(SIGN_OUT_EVERYWHERE_PATHS, "'" + path
                            + "' is also one of " + LOGOUT_PATHS + " " + new TreeSet<>(values.logoutPaths)
                            + "; a path either logs out or signs out everywhere");
                }
            }
        }

        private static String cookie(String parameter, String name) {
            String value = required(parameter, name);
            if (!COOKIE_NAME.matcher(value).matches()) {
                throw new RevocationConfigurationException(parameter, "'" + value + "' is not a valid cookie name");
            }
            return value;
        }
    }

    /**
     * Every setting, with its default: a builder fills one, each settings object keeps its own copy.
     * Adding a setting means a field here, a builder setter, an accessor (a Redis one in {@link Redis})
     * and a row in {@link Parameters}.
     */
    private static final class Values implements Cloneable {
        String region;
        String userPoolId;
        String clientId;
        String clientSecret;
        URI endpoint;
        String issuer;
        URI jwksUri;
        Set<String> logoutPaths = Set.of("/logout");
        String logoutRedirect;
        String accessTokenCookie;
        String refreshTokenCookie;
        Set<String> signOutEverywherePaths = Set.of();
        URI cognitoDomain;
        URI logoutUri;
        String albSessionCookie;
        String tokenResolver;
        Duration clockSkew = Duration.ofSeconds(60);
        Duration cognitoTimeout = Duration.ofSeconds(5);
        Duration maxTokenLifetime = Duration.ofDays(1);
        Duration pendingDeadline = Duration.ofDays(1);
        int maxPendingRevocations = 10_000;
        long maxPendingBytes = 8L * 1024 * 1024;
        boolean auditLog = true;
        URI redisUri;
        String redisKeyPrefix = "cognito-revoke:";
        byte[] redisEncryptionKey;
        Duration redisTimeout = Duration.ofMillis(500);
        Duration redisSyncTimeout = Duration.ofSeconds(10);
        int redisMaxBufferedWrites = 100_000;
        Duration redisLease = Duration.ofSeconds(10);

        Values copy() {
            try {
                return (Values) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
