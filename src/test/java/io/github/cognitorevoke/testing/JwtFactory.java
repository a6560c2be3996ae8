package io.github.cognitorevoke.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds genuine and hostile JWTs for negative tests of a token verifier, around one
 * {@link CognitoStub}'s key and issuer. Get it from {@link CognitoStub#jwt()}.
 *
 * <p>Typical uses: start from {@link #accessClaims(String, String)} (claims exactly like a genuine
 * access token of the stub), change one claim (issuer of a foreign pool, another {@code client_id},
 * an {@code exp} in the past, {@code token_use=id}), then sign it with {@link #sign}, or forge it
 * with {@link #signWithForeignKeyUnderStubKid}, {@link #signWithUnknownKey}, {@link #unsigned} or
 * {@link #hs256WithPublicKey}. Tokens built here belong to no refresh-token family of the stub.
 *
 * <p>Thread-safe.
 */
public final class JwtFactory {

    private final CognitoStub stub;

    JwtFactory(CognitoStub stub) {
        this.stub = stub;
    }

    /**
     * Claims of a genuine-looking access token of the stub's pool: {@code sub} (the user's stable
     * sub), {@code iss}, {@code client_id}, {@code origin_jti} and {@code jti} (fresh UUIDs, no
     * family), {@code event_id}, {@code token_use=access}, {@code scope}, {@code auth_time},
     * {@code iat} (now, by the stub's clock), {@code exp} (now + access token validity),
     * {@code version}, {@code username}. No {@code aud}, as in Cognito access tokens.
     *
     * @param clientId the {@code client_id}; need not be registered with the stub
     * @param username the user; gets the same {@code sub} as in tokens of {@link CognitoStub#login}
     * @return a builder to adjust before signing
     */
    public JWTClaimsSet.Builder accessClaims(String clientId, String username) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(username, "username");
        Instant now = now();
        return new JWTClaimsSet.Builder()
                .subject(stub.subOf(username))
                .issuer(stub.issuer())
                .claim("client_id", clientId)
                .claim("origin_jti", UUID.randomUUID().toString())
                .claim("event_id", UUID.randomUUID().toString())
                .claim("token_use", "access")
                .claim("scope", CognitoStub.ACCESS_TOKEN_SCOPE)
                .claim("auth_time", now.getEpochSecond())
                .expirationTime(Date.from(now.plus(stub.accessTokenValidity())))
                .issueTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString())
                .claim("username", username);
    }

    /**
     * Claims of a genuine-looking ID token of the stub's pool: {@code sub}, {@code aud} = client id,
     * {@code cognito:username}, {@code token_use=id}, {@code iss}, {@code iat}, {@code exp},
     * {@code auth_time}, fresh {@code jti} and {@code origin_jti}.
     *
     * @param clientId the {@code aud}
     * @param username the user
     * @return a builder to adjust before signing
     */
    public JWTClaimsSet.Builder idClaims(String clientId, String username) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(username, "username");
        Instant now = now();
        return new JWTClaimsSet.Builder()
                .subject(stub.subOf(username))
                .audience(clientId)
                .claim("cognito:username", username)
                .claim("origin_jti", UUID.randomUUID().toString())
                .claim("event_id", UUID.randomUUID().toString())
                .claim("token_use", "id")
                .claim("auth_time", now.getEpochSecond())
                .issuer(stub.issuer())
                .expirationTime(Date.from(now.plus(stub.accessTokenValidity())))
                .issueTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString());
    }

    /**
     * Signs claims with the stub's current key (RS256, header {@code kid}): the token verifies
     * against the served JWKS, whatever the claims say.
     *
     * @param claims the claims
     * @return the compact JWS
     */
    public String sign(JWTClaimsSet claims) {
        RSAKey key = stub.signingKey();
        return rs256(key, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    }

    /**
     * Signs claims with the stub's current key but without a {@code kid} in the header.
     *
     * @param claims the claims
     * @return the compact JWS
     */
    public String signWithoutKid(JWTClaimsSet claims) {
        return rs256(stub.signingKey(), new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims);
    }

    /**
     * A forgery: signed by a fresh RSA key that the stub never publishes, under the {@code kid} of
     * the stub's current key (what an attacker copies from the public JWKS). The signature check
     * must fail.
     *
     * @param claims the claims
     * @return the compact JWS
     */
    public String signWithForeignKeyUnderStubKid(JWTClaimsSet claims) {
        return rs256(freshKey(), new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(stub.signingKey().getKeyID()).build(), claims);
    }

    /**
     * Signed by a fresh RSA key under its own, unknown {@code kid} (a token of a foreign pool, for
     * instance): a verifier looks the kid up, may refetch the JWKS once, and must reject it.
     *
     * @param claims the claims
     * @return the compact JWS
     */
    public String signWithUnknownKey(JWTClaimsSet claims) {
        RSAKey foreign = freshKey();
        return rs256(foreign, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(foreign.getKeyID()).build(), claims);
    }

    /**
     * An unsecured JWT: header {@code {"alg":"none","kid":<stub's kid>}}, the claims, and an empty
     * signature ({@code header.payload.}). Must be rejected.
     *
     * @param claims the claims
     * @return the compact serialization
     */
    public String unsigned(JWTClaimsSet claims) {
        return unsigned(claims, "none");
    }

    /**
     * An unsecured JWT with a given spelling of the algorithm ({@code "none"}, {@code "None"},
     * {@code "NONE"}: verifiers have been fooled by case before).
     *
     * @param claims the claims
     * @param algName the {@code alg} header value
     * @return the compact serialization, with an empty signature part
     */
    public String unsigned(JWTClaimsSet claims, String algName) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", algName);
        header.put("kid", stub.signingKey().getKeyID());
        return Base64URL.encode(JSONObjectUtils.toJSONString(header)) + "."
                + Base64URL.encode(claims.toString()) + ".";
    }

    /**
     * The key-confusion attack: HS256, keyed with the bytes of the stub's public key (X.509
     * SubjectPublicKeyInfo DER, as {@code PublicKey.getEncoded()} gives them), under the stub's
     * {@code kid}. A verifier that lets the token pick the algorithm and feeds it "the key" would
     * accept it; a correct one must reject it.
     *
     * @param claims the claims
     * @return the compact JWS
     */
    public String hs256WithPublicKey(JWTClaimsSet claims) {
        return hs256(claims, publicKeyDer());
    }

    /**
     * Like {@link #hs256WithPublicKey} but keyed with the PEM text of the public key
     * ({@code -----BEGIN PUBLIC KEY-----} ..., lines of 64, trailing newline), the other common
     * variant of the attack.
     *
     * @param claims the claims
     * @return the compact JWS
     */
    public String hs256WithPublicKeyPem(JWTClaimsSet claims) {
        return hs256(claims, publicKeyPem().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * HS256 with an arbitrary secret (at least 32 bytes), under the stub's {@code kid}.
     *
     * @param claims the claims
     * @param secret the HMAC key
     * @return the compact JWS
     */
    public String hs256(JWTClaimsSet claims, byte[] secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                    .keyID(stub.signingKey().getKeyID()).build(), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign HS256 (secret must be at least 32 bytes)", e);
        }
    }

    /**
     * The DER bytes (X.509 SubjectPublicKeyInfo) of the stub's current public key.
     *
     * @return a fresh copy
     */
    public byte[] publicKeyDer() {
        try {
            return stub.signingKey().toRSAPublicKey().getEncoded();
        } catch (JOSEException e) {
            throw new IllegalStateException("the stub's key has no public part", e);
        }
    }

    /**
     * The PEM text of the stub's current public key.
     *
     * @return {@code -----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----\n}
     */
    public String publicKeyPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(publicKeyDer());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    private Instant now() {
        return stub.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    }

    static String rs256(RSAKey key, JWSHeader header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("RS256 signing failed", e);
        }
    }

    static RSAKey freshKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString())
                    .algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("RSA key generation failed", e);
        }
    }
}
