package io.github.cognitorevoke.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The user pool model behind {@link CognitoStub}: app clients, users, refresh-token families and
 * their revocation, and the pool operations ({@code RevokeToken}, {@code InitiateAuth},
 * {@code GlobalSignOut}) with Cognito's errors, as {@link CognitoStubException}s. Knows nothing of
 * HTTP. The checks and their order are documented on {@link CognitoStub}. Thread-safe: all state is
 * guarded by {@code this}.
 */
final class UserPool {

    private static final Pattern ERROR_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.#:]*");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");

    private final TokenMinter minter;
    private final StubKeys keys;
    private final Clock clock;

    private final Map<String, Client> clients = new HashMap<>();
    private final Map<String, User> users = new HashMap<>();
    private final Map<String, Family> families = new HashMap<>(); // by refresh token
    private int globalSignOuts;
    private Duration accessTokenValidity = CognitoStub.DEFAULT_ACCESS_TOKEN_VALIDITY;
    private String unknownClientError = "UnauthorizedException";
    // What AWS does not document about rotation: the test chooses.
    private CognitoStub.OriginJti originJtiOnRotation = CognitoStub.OriginJti.KEPT;
    private CognitoStub.ChainRevocation chainRevocation = CognitoStub.ChainRevocation.WHOLE_CHAIN;
    private CognitoStub.StaleRevocation staleRevocation = CognitoStub.StaleRevocation.ACCEPTED;

    UserPool(TokenMinter minter, StubKeys keys, Clock clock) {
        this.minter = minter;
        this.keys = keys;
        this.clock = clock;
    }

    /** What {@code InitiateAuth} answers: the tokens, whether the refresh token is part of it, and {@code ExpiresIn}. */
    record AuthResult(StubTokens tokens, boolean withRefreshToken, long expiresInSeconds) {
    }

    // ---------------------------------------------------------------- setup

    synchronized void addClient(String clientId, String clientSecretOrNull, boolean revocationEnabled) {
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
        Client client = new Client(clientId, clientSecretOrNull, revocationEnabled);
        client.lastModified = clock.instant();
        clients.put(clientId, client);
    }

    /** Changes what {@code DescribeUserPoolClient} says of a client. */
    synchronized void configureClient(String clientId, java.util.function.Consumer<Client> change) {
        Client client = clients.get(clientId);
        if (client == null) {
            throw new IllegalArgumentException("unknown client " + clientId + "; call addClient first");
        }
        change.accept(client);
    }

    // ---------------------------------------------------------------- signed (IAM) operations

    /** {@code DescribeUserPoolClient}: the client as the test set it up. */
    synchronized Map<String, Object> describeClient(String userPoolId, String poolId, String clientId,
                                                    List<String> logoutUrls, List<String> callbackUrls) {
        Client client = clientId == null ? null : clients.get(clientId);
        if (!poolId.equals(userPoolId) || client == null) {
            throw new CognitoStubException("ResourceNotFoundException",
                    "User pool client " + clientId + " does not exist.");
        }
        Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("UserPoolId", poolId);
        c.put("ClientId", client.id);
        c.put("ClientName", client.id);
        c.put("LastModifiedDate", client.lastModified.getEpochSecond());
        c.put("CreationDate", client.lastModified.getEpochSecond());
        c.put("AccessTokenValidity", in(accessTokenValidity, client.units[0]));
        c.put("IdTokenValidity", in(client.idTokenValidity != null ? client.idTokenValidity : accessTokenValidity,
                client.units[1]));
        c.put("RefreshTokenValidity", in(client.refreshTokenValidity, client.units[2]));
        c.put("TokenValidityUnits", Map.of("AccessToken", client.units[0], "IdToken", client.units[1],
                "RefreshToken", client.units[2]));
        c.put("EnableTokenRevocation", client.revocationEnabled);
        c.put("RefreshTokenRotation", client.rotation
                ? Map.of("Feature", "ENABLED", "RetryGracePeriodSeconds", client.gracePeriodSeconds)
                : Map.of("Feature", "DISABLED"));
        c.put("LogoutURLs", logoutUrls);
        c.put("CallbackURLs", callbackUrls);
        return Map.of("UserPoolClient", c);
    }

    /** {@code AdminGetUser}: the user's attributes ({@code sub}), or {@code UserNotFoundException}. */
    synchronized Map<String, Object> adminGetUser(String userPoolId, String poolId, String username) {
        User user = knownUser(userPoolId, poolId, username);
        return Map.of("Username", user.username, "Enabled", true, "UserStatus", "CONFIRMED",
                "UserAttributes", List.of(Map.of("Name", "sub", "Value", user.sub)));
    }

    /** {@code AdminUserGlobalSignOut}: revokes every refresh token of the user, as GlobalSignOut does. */
    synchronized void adminUserGlobalSignOut(String userPoolId, String poolId, String username) {
        User user = knownUser(userPoolId, poolId, username);
        for (Family family : families.values()) {
            if (family.user == user) {
                family.revoked = true;
            }
        }
        globalSignOuts++;
    }

    private User knownUser(String userPoolId, String poolId, String username) {
        if (!poolId.equals(userPoolId)) {
            throw new CognitoStubException("ResourceNotFoundException", "User pool " + userPoolId + " does not exist.");
        }
        User user = username == null ? null : users.get(username);
        if (user == null) {
            throw new CognitoStubException("UserNotFoundException", "User does not exist.");
        }
        return user;
    }

    private static long in(Duration validity, String unit) {
        return switch (unit) {
            case "seconds" -> validity.toSeconds();
            case "minutes" -> validity.toMinutes();
            case "hours" -> validity.toHours();
            case "days" -> validity.toDays();
            default -> throw new IllegalStateException("unit " + unit);
        };
    }

    synchronized void addUser(String username, String password) {
        Objects.requireNonNull(password, "password");
        user(username).password = password;
    }

    synchronized void setAccessTokenValidity(Duration validity) {
        Objects.requireNonNull(validity, "validity");
        if (validity.compareTo(CognitoStub.MIN_ACCESS_TOKEN_VALIDITY) < 0
                || validity.compareTo(CognitoStub.MAX_ACCESS_TOKEN_VALIDITY) > 0) {
            throw new IllegalArgumentException("access token validity must be between 5 minutes and 1 day: " + validity);
        }
        this.accessTokenValidity = validity;
    }

    synchronized Duration accessTokenValidity() {
        return accessTokenValidity;
    }

    synchronized void setUnknownClientError(String errorType) {
        this.unknownClientError = requireErrorName(errorType);
    }

    /** The stable {@code sub} of a username, registering the user (without password) if new. */
    synchronized String subOf(String username) {
        return user(username).sub;
    }

    // ---------------------------------------------------------------- tokens (Java side)

    synchronized StubTokens login(String clientId, String username) {
        Client client = clients.get(Objects.requireNonNull(clientId, "clientId"));
        if (client == null) {
            throw new IllegalArgumentException("unknown client " + clientId + "; call addClient first");
        }
        return newFamily(client, user(username));
    }

    synchronized StubTokens refresh(String clientId, String refreshToken) {
        Client client = clients.get(Objects.requireNonNull(clientId, "clientId"));
        if (client == null) {
            throw unknownClientForAuth(clientId);
        }
        return minter.mint(refreshableFamily(client, Objects.requireNonNull(refreshToken, "refreshToken")),
                accessTokenValidity);
    }

    synchronized boolean isRevoked(String refreshToken) {
        Family family = families.get(refreshToken);
        if (family == null) {
            throw new IllegalArgumentException("not a refresh token issued by this stub");
        }
        return family.revoked;
    }

    synchronized boolean hasClient(String clientId) {
        return clientId != null && clients.containsKey(clientId);
    }

    synchronized int globalSignOutCount() {
        return globalSignOuts;
    }

    // ---------------------------------------------------------------- operations

    /** {@code RevokeToken}: revokes the refresh token's family, or throws Cognito's error for it. */
    synchronized void revoke(String token, String clientId, String secret) {
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
        if (staleRevocation == CognitoStub.StaleRevocation.REFUSED && family.rotatedAt != null
                && minter.now().isAfter(family.rotatedAt.plusSeconds(client.gracePeriodSeconds))) {
            throw new CognitoStubException("NotAuthorizedException", "Invalid Refresh Token");
        }
        // idempotent: revoking again changes nothing and succeeds
        if (chainRevocation == CognitoStub.ChainRevocation.WHOLE_CHAIN) {
            family.chain.forEach(f -> f.revoked = true);
        } else {
            family.revoked = true;
        }
    }

    /**
     * {@code GetTokensFromRefreshToken}: new access and ID tokens; for a rotating client also a new
     * refresh token, the presented one staying usable for the grace period. The refresh token's
     * lifetime counts from the sign-in, whatever the rotations.
     */
    synchronized AuthResult getTokensFromRefreshToken(String refreshToken, String clientId, String secret) {
        if (refreshToken == null || clientId == null) {
            throw invalidParameter("RefreshToken and ClientId are required.");
        }
        Client client = clients.get(clientId);
        if (client == null) {
            throw unknownClientForAuth(clientId);
        }
        if (client.secret != null && (secret == null || !constantTimeEquals(client.secret, secret))) {
            throw new CognitoStubException("NotAuthorizedException", "Unable to verify secret for client " + clientId);
        }
        Family family = refreshableFamily(client, refreshToken);
        Instant now = minter.now();
        if (family.rotatedAt != null && now.isAfter(family.rotatedAt.plusSeconds(client.gracePeriodSeconds))) {
            throw new CognitoStubException("NotAuthorizedException", "Invalid Refresh Token");
        }
        if (!now.isBefore(family.authTime.plus(client.refreshTokenValidity))) {
            throw new CognitoStubException("NotAuthorizedException", "Refresh Token has expired");
        }
        if (!client.rotation) {
            return new AuthResult(minter.mint(family, accessTokenValidity), false, accessTokenValidity.toSeconds());
        }
        if (family.rotatedAt == null) {
            family.rotatedAt = now;
        }
        String next = TokenMinter.newRefreshToken();
        Family rotated = new Family(client, family.user, next,
                originJtiOnRotation == CognitoStub.OriginJti.KEPT ? family.originJti : UUID.randomUUID().toString(),
                family.eventId, family.authTime, family.chain);
        rotated.oauthScope = family.oauthScope;
        rotated.nonce = family.nonce;
        families.put(next, rotated);
        return new AuthResult(minter.mint(rotated, accessTokenValidity), true, accessTokenValidity.toSeconds());
    }

    /** Java side of {@link #getTokensFromRefreshToken} (no secret check). */
    synchronized StubTokens rotate(String clientId, String refreshToken) {
        Client client = clients.get(Objects.requireNonNull(clientId, "clientId"));
        if (client == null || !client.rotation) {
            throw new IllegalArgumentException("client " + clientId + " does not rotate refresh tokens");
        }
        return getTokensFromRefreshToken(refreshToken, clientId, client.secret).tokens();
    }

    synchronized void setStaleRevocation(CognitoStub.StaleRevocation answer) {
        this.staleRevocation = Objects.requireNonNull(answer, "answer");
    }

    synchronized void setRotationBehaviour(CognitoStub.OriginJti originJti, CognitoStub.ChainRevocation revocation) {
        this.originJtiOnRotation = Objects.requireNonNull(originJti, "originJti");
        this.chainRevocation = Objects.requireNonNull(revocation, "revocation");
    }

    /**
     * {@code InitiateAuth} with {@code USER_PASSWORD_AUTH} or {@code REFRESH_TOKEN_AUTH}
     * ({@code REFRESH_TOKEN}).
     *
     * @param flow the {@code AuthFlow}, or {@code null}
     * @param clientId the {@code ClientId}, or {@code null}
     * @param params the string members of {@code AuthParameters}
     */
    synchronized AuthResult initiateAuth(String flow, String clientId, Map<String, String> params) {
        if (flow == null || clientId == null) {
            throw invalidParameter("AuthFlow and ClientId are required.");
        }
        Client client = clients.get(clientId);
        if (client == null) {
            throw unknownClientForAuth(clientId);
        }
        switch (flow) {
            case "USER_PASSWORD_AUTH": {
                String username = params.get("USERNAME");
                String password = params.get("PASSWORD");
                if (username == null || password == null) {
                    throw invalidParameter("Missing required parameter " + (username == null ? "USERNAME" : "PASSWORD"));
                }
                checkSecretHash(client, params.get("SECRET_HASH"), List.of(username));
                User user = users.get(username);
                if (user == null || user.password == null || !constantTimeEquals(user.password, password)) {
                    throw new CognitoStubException("NotAuthorizedException", "Incorrect username or password.");
                }
                return new AuthResult(newFamily(client, user), true, accessTokenValidity.toSeconds());
            }
            case "REFRESH_TOKEN_AUTH":
            case "REFRESH_TOKEN": {
                String refreshToken = params.get("REFRESH_TOKEN");
                if (refreshToken == null) {
                    throw invalidParameter("Missing required parameter REFRESH_TOKEN");
                }
                if (client.rotation) {
                    throw invalidParameter("Refresh token rotation is enabled for client " + clientId
                            + ": use GetTokensFromRefreshToken.");
                }
                Family family = refreshableFamily(client, refreshToken);
                checkSecretHash(client, params.get("SECRET_HASH"), List.of(family.user.username, family.user.sub));
                return new AuthResult(minter.mint(family, accessTokenValidity), false, accessTokenValidity.toSeconds());
            }
            default:
                throw invalidParameter("AuthFlow " + flow + " is not supported by the stub.");
        }
    }

    /**
     * {@code GlobalSignOut {AccessToken}}: authorized by the access token itself (no IAM), it
     * revokes every refresh token of the token's user, across app clients. Access tokens already
     * issued keep verifying locally until they expire, as with Cognito.
     */
    synchronized void globalSignOut(String accessToken) {
        if (accessToken == null) {
            throw new CognitoStubException("InvalidParameterException", "AccessToken is required");
        }
        String sub;
        try {
            SignedJWT jwt = SignedJWT.parse(accessToken);
            boolean verified = keys.verifies(jwt);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!verified || !"access".equals(claims.getStringClaim("token_use"))
                    || !clock.instant().isBefore(claims.getExpirationTime().toInstant())) {
                throw new CognitoStubException("NotAuthorizedException", "Invalid Access Token");
            }
            sub = claims.getSubject();
        } catch (ParseException | JOSEException e) {
            throw new CognitoStubException("NotAuthorizedException", "Invalid Access Token");
        }
        for (Family family : families.values()) {
            if (family.user.sub.equals(sub)) {
                family.revoked = true;
            }
        }
        globalSignOuts++;
    }

    /** Cognito's {@code SECRET_HASH}; see {@link CognitoStub#secretHash}. */
    static String secretHash(String clientSecret, String username, String clientId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((username + clientId).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Checks an error type name given by a test ({@code __type} values are identifiers). */
    static String requireErrorName(String name) {
        Objects.requireNonNull(name, "exceptionName");
        if (!ERROR_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an error type name: " + name);
        }
        return name;
    }

    // ---------------------------------------------------------------- managed login (OAuth 2.0 / OIDC)

    /** Whether the client rotates refresh tokens ({@code configureAppClient}). */
    synchronized boolean isRotating(String clientId) {
        Client client = clients.get(clientId);
        return client != null && client.rotation;
    }

    /** Whether the user exists and has this password (the managed-login form). */
    synchronized boolean passwordMatches(String username, String password) {
        User user = username == null ? null : users.get(username);
        return user != null && user.password != null && password != null
                && constantTimeEquals(user.password, password);
    }

    /** The client's secret, or null (no secret); unknown client: {@link IllegalArgumentException}. */
    synchronized String clientSecret(String clientId) {
        Client client = clients.get(clientId);
        if (client == null) {
            throw new IllegalArgumentException("unknown client");
        }
        return client.secret;
    }

    /**
     * A sign-in through the managed login: a new family whose tokens carry the OAuth scopes, the nonce
     * and {@code authTime}, when the user authenticated (earlier than now when the managed-login
     * session answered without the form).
     */
    synchronized StubTokens oauthLogin(String clientId, String username, String scope, String nonce, Instant authTime) {
        Client client = clients.get(Objects.requireNonNull(clientId, "clientId"));
        User user = user(username);
        String refreshToken = TokenMinter.newRefreshToken();
        Family family = new Family(client, user, refreshToken, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), authTime, new java.util.ArrayList<>());
        family.oauthScope = scope;
        family.nonce = nonce;
        families.put(refreshToken, family);
        return minter.mint(family, accessTokenValidity);
    }

    /**
     * {@code /oauth2/userInfo}: the claims of a valid access token's user; null for a token that does
     * not verify, has expired, or whose family was revoked (Cognito's user endpoints reject those).
     */
    synchronized Map<String, Object> userInfo(String accessToken) {
        try {
            SignedJWT jwt = SignedJWT.parse(accessToken);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!keys.verifies(jwt) || !"access".equals(claims.getStringClaim("token_use"))
                    || !clock.instant().isBefore(claims.getExpirationTime().toInstant())) {
                return null;
            }
            String originJti = claims.getStringClaim("origin_jti");
            for (Family family : families.values()) {
                if (family.revoked && originJti != null && originJti.equals(family.originJti)) {
                    return null;
                }
            }
            Map<String, Object> info = new java.util.LinkedHashMap<>();
            info.put("sub", claims.getSubject());
            info.put("username", claims.getStringClaim("username"));
            return info;
        } catch (ParseException | JOSEException | RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- internals

    private StubTokens newFamily(Client client, User user) {
        assert Thread.holdsLock(this);
        String refreshToken = TokenMinter.newRefreshToken();
        Family family = new Family(client, user, refreshToken, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), minter.now(), new java.util.ArrayList<>());
        families.put(refreshToken, family);
        return minter.mint(family, accessTokenValidity);
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

    private User user(String username) {
        assert Thread.holdsLock(this);
        Objects.requireNonNull(username, "username");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("username must not be empty");
        }
        return users.computeIfAbsent(username, u -> new User(u, UUID.randomUUID().toString()));
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

    private static CognitoStubException unknownClientForAuth(String clientId) {
        return new CognitoStubException("ResourceNotFoundException", "User pool client " + clientId + " does not exist.");
    }

    private static CognitoStubException invalidParameter(String message) {
        return new CognitoStubException("InvalidParameterException", message);
    }

    private static boolean constantTimeEquals(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    private enum Shape { JWS, REFRESH, OTHER }

    private static Shape shapeOf(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length == 3 && headerHas(parts[0], "alg")) {
            return Shape.JWS; // includes alg=none tokens, whose last part is empty
        }
        if (parts.length == 5 && headerHas(parts[0], "enc")) {
            for (String part : parts) {
                if (!BASE64URL.matcher(part).matches()) {
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

    // ---------------------------------------------------------------- model

    /** An app client. */
    static final class Client {
        final String id;
        final String secret;
        final boolean revocationEnabled;
        // What DescribeUserPoolClient answers besides the above; set by the test.
        Duration idTokenValidity; // null: the access-token validity the pool mints with
        Duration refreshTokenValidity = Duration.ofDays(30);
        String[] units = {"minutes", "minutes", "days"};
        Instant lastModified;
        boolean rotation;
        int gracePeriodSeconds;

        Client(String id, String secret, boolean revocationEnabled) {
            this.id = id;
            this.secret = secret;
            this.revocationEnabled = revocationEnabled;
        }
    }

    /** A user, with a stable {@code sub}; the password is set by {@link CognitoStub#addUser}. */
    static final class User {
        final String username;
        final String sub;
        String password;

        User(String username, String sub) {
            this.username = username;
            this.sub = sub;
        }
    }

    /** One refresh token and everything minted from it; rotation makes a chain of them (one sign-in). */
    static final class Family {
        final Client client;
        final User user;
        final String refreshToken;
        final String originJti;
        final String eventId;
        final Instant authTime;
        // Every refresh token of the sign-in, this one included, in the order they were issued.
        final List<Family> chain;
        boolean revoked;
        // A managed-login sign-in's OAuth scopes (the access token's scope claim) and the
        // authorization request's nonce (the ID token's); null for the user pool API's sign-ins.
        String oauthScope;
        String nonce;
        Instant rotatedAt; // when a newer refresh token replaced this one, or null

        Family(Client client, User user, String refreshToken, String originJti, String eventId, Instant authTime,
               List<Family> chain) {
            this.client = client;
            this.user = user;
            this.refreshToken = refreshToken;
            this.originJti = originJti;
            this.eventId = eventId;
            this.authTime = authTime;
            this.chain = chain;
            chain.add(this);
        }
    }
}
