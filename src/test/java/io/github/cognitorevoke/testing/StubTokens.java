package io.github.cognitorevoke.testing;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;

/**
 * The tokens {@link CognitoStub} hands out for one login or one refresh, as Cognito's
 * {@code AuthenticationResult} carries them.
 *
 * <p>{@link #toString()} never shows a token: assertion messages and logs stay free of credentials.
 *
 * @param accessToken the RS256-signed access token
 * @param idToken the RS256-signed ID token
 * @param refreshToken the opaque refresh token of the family (the same one after a refresh)
 * @param originJti the family's {@code origin_jti}, or {@code null} when the app client has token
 *     revocation disabled (Cognito then puts neither {@code jti} nor {@code origin_jti} in tokens)
 */
public record StubTokens(String accessToken, String idToken, String refreshToken, String originJti) {

    /**
     * Parses the access token's claims (no verification: the stub signed it).
     *
     * @return the access token's claims
     */
    public JWTClaimsSet accessClaims() {
        return claimsOf(accessToken);
    }

    /**
     * Parses the ID token's claims (no verification: the stub signed it).
     *
     * @return the ID token's claims
     */
    public JWTClaimsSet idClaims() {
        return claimsOf(idToken);
    }

    /**
     * The access token's {@code jti}.
     *
     * @return the {@code jti}, or {@code null} when revocation is disabled on the client
     */
    public String accessJti() {
        return accessClaims().getJWTID();
    }

    private static JWTClaimsSet claimsOf(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IllegalStateException("a token minted by the stub does not parse", e);
        }
    }

    @Override
    public String toString() {
        return "StubTokens[originJti=" + originJti + ", tokens redacted]";
    }
}
