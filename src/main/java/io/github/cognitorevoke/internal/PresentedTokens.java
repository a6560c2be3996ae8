package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.function.Predicate;

/**
 * Every place a request can carry a bearer token that an application might read, searched on
 * every request that is not a logout.
 *
 * <p>Applications read their token in many ways: the first or the last {@code Authorization}
 * header, any casing of the scheme, {@code trim()}, a split on spaces, a regular expression, the
 * first cookie of a name, a URL-decoded cookie, an {@code access_token} query parameter, the header
 * an AWS load balancer adds. So nothing is parsed the one "right" way here: every
 * {@code Authorization} and {@code X-Amzn-Oidc-Accesstoken} header, every {@code Cookie} header
 * (when a token cookie is configured) and the query string are searched as text for JWS
 * payloads ({@link TokenIds#anyMatch}), raw and, where they hold percent escapes, decoded. The
 * work is linear in the size of those headers, which the container bounds.
 */
public final class PresentedTokens {

    /** The header an AWS Application Load Balancer that signs users in with Cognito adds: the access token. */
    static final String ALB_ACCESS_TOKEN = "X-Amzn-Oidc-Accesstoken";

    private final boolean cookies;

    /**
     * Creates the search.
     *
     * @param settings the settings; cookies are searched only when {@code accessTokenCookie} is set
     */
    public PresentedTokens(RevocationSettings settings) {
        this.cookies = settings.accessTokenCookie().isPresent();
    }

    /**
     * Finds the first text of the request that may carry a bearer token and holds one that
     * {@code revoked} accepts.
     *
     * @param request the request
     * @param revoked decides about one text, e.g. {@link RevocationEngine#anyRevoked}
     * @return that text, or null if there is none
     */
    public CharSequence find(HttpServletRequest request, Predicate<CharSequence> revoked) {
        CharSequence found = header(request, "Authorization", revoked);
        if (found == null) {
            found = header(request, ALB_ACCESS_TOKEN, revoked);
        }
        if (found == null && cookies) {
            found = header(request, "Cookie", revoked);
        }
        return found != null ? found : test(request.getQueryString(), revoked);
    }

    private static CharSequence header(HttpServletRequest request, String name, Predicate<CharSequence> revoked) {
        Enumeration<String> values = request.getHeaders(name);
        if (values == null) {
            return null;
        }
        while (values.hasMoreElements()) {
            CharSequence found = test(values.nextElement(), revoked);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static CharSequence test(String text, Predicate<CharSequence> revoked) {
        if (text == null) {
            return null;
        }
        if (revoked.test(text)) {
            return text;
        }
        if (text.indexOf('%') >= 0) {
            PercentDecoded decoded = PercentDecoded.of(text);
            return decoded.changed() && revoked.test(decoded) ? decoded : null;
        }
        return null;
    }
}
