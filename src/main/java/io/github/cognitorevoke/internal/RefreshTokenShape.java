package io.github.cognitorevoke.internal;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.Map;

/**
 * Whether a text can be a refresh token by its shape, told without asking Cognito. Cognito's are
 * compact JWEs (five base64url parts, a header with {@code enc} and {@code alg}); emulators such as
 * cognito-local issue a signed JWT instead (three parts, a header with {@code alg}). Anything else
 * cannot be revoked, so a logout with it alone is answered 400 without a call.
 */
final class RefreshTokenShape {

    private RefreshTokenShape() {
    }

    /**
     * Tells whether a token has a refresh token's shape.
     *
     * @param token the token, at most 8 KiB
     * @return true for a compact JWE or JWS with non-empty base64url parts and a JSON object header
     */
    static boolean plausible(String token) {
        int parts = 1;
        int partStart = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (i == partStart) {
                    return false;
                }
                parts++;
                partStart = i + 1;
            } else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        if ((parts != 5 && parts != 3) || partStart == token.length()) {
            return false;
        }
        try {
            Map<String, Object> header = JSONObjectUtils.parse(
                    new Base64URL(token.substring(0, token.indexOf('.'))).decodeToString());
            return header.get("alg") instanceof String && (parts == 3 || header.get("enc") instanceof String);
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }
}
