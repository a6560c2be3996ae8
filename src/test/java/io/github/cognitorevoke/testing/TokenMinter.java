package io.github.cognitorevoke.testing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.UUID;

/**
 * Mints tokens as a Cognito user pool does (claims and header described on {@link CognitoStub}):
 * RS256 access and ID tokens signed with the pool's current key, and opaque refresh tokens shaped
 * like Cognito's. Stateless apart from its collaborators; thread-safe.
 */
final class TokenMinter {

    // base64url of {"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}, the header of Cognito refresh tokens
    static final String REFRESH_TOKEN_HEADER =
            Base64URL.encode("{\"cty\":\"JWT\",\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\"}").toString();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StubKeys keys;
    private final String issuer;
    private final Clock clock;

    TokenMinter(StubKeys keys, String issuer, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** Now, by the stub's clock, to the second (JWT times are whole seconds). */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** A new access and ID token of the family; {@code jti}/{@code origin_jti} only if the client revokes. */
    StubTokens mint(UserPool.Family family, Duration validity) {
        Instant now = now();
        Date iat = Date.from(now);
        Date exp = Date.from(now.plus(validity));
        RSAKey key = keys.signingKey();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build();
        UserPool.Client client = family.client;
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
                .claim("scope", family.oauthScope != null ? family.oauthScope : CognitoStub.ACCESS_TOKEN_SCOPE)
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
        if (family.nonce != null) {
            id.claim("nonce", family.nonce);
        }
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

    /** Cognito's are a JWE (RSA-OAEP, A256GCM) of ~1.8 KB: same shape and size, random content. */
    static String newRefreshToken() {
        return REFRESH_TOKEN_HEADER + "." + randomPart(256) + "." + randomPart(12) + "."
                + randomPart(1024) + "." + randomPart(16);
    }

    private static String randomPart(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64URL.encode(random).toString();
    }
}
