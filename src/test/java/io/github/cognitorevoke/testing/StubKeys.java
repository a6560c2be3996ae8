package io.github.cognitorevoke.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The user pool's signing keys, as {@link CognitoStub} publishes them: every key stays in the JWKS
 * until retired, the newest one signs. Counts JWKS fetches. Thread-safe (guarded by {@code this}).
 */
final class StubKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<RSAKey> keys = new ArrayList<>(); // published; the last one signs
    private final AtomicInteger fetches = new AtomicInteger();

    StubKeys() {
        keys.add(newKey());
    }

    synchronized RSAKey signingKey() {
        return keys.get(keys.size() - 1);
    }

    String rotate() {
        RSAKey key = newKey(); // slow (RSA generation): outside the lock
        synchronized (this) {
            keys.add(key);
        }
        return key.getKeyID();
    }

    synchronized void retire(String kid) {
        if (signingKey().getKeyID().equals(kid)) {
            throw new IllegalArgumentException("cannot retire the signing key; call rotateKey() first");
        }
        if (!keys.removeIf(k -> k.getKeyID().equals(kid))) {
            throw new IllegalArgumentException("no published key with kid " + kid);
        }
    }

    synchronized JWKSet publicJwks() {
        List<JWK> published = new ArrayList<>();
        for (RSAKey key : keys) {
            published.add(key.toPublicJWK());
        }
        return new JWKSet(published);
    }

    /** The JWKS document as served, counting the fetch. */
    String fetchJwksJson() {
        fetches.incrementAndGet();
        return JSONObjectUtils.toJSONString(publicJwks().toJSONObject(true));
    }

    /** Counts a JWKS request answered with an injected failure. */
    void countFailedFetch() {
        fetches.incrementAndGet();
    }

    int fetchCount() {
        return fetches.get();
    }

    /** Whether a published key with the token's {@code kid} verifies its signature. */
    synchronized boolean verifies(SignedJWT jwt) throws JOSEException {
        String kid = jwt.getHeader().getKeyID();
        for (RSAKey key : keys) {
            if (key.getKeyID().equals(kid) && jwt.verify(new RSASSAVerifier(key))) {
                return true;
            }
        }
        return false;
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
}
