package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.InvalidRequestException;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.TokenResolver;
import io.github.cognitorevoke.TokenType;
import io.github.cognitorevoke.UnsupportedMediaTypeException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Optional;

/**
 * Reads the access token from {@code Authorization: Bearer} (RFC 6750 section 2.1), else, with
 * {@code albSessionCookie} set, from the {@code X-Amzn-Oidc-Accesstoken} header a load balancer
 * adds, else from the configured cookie; and the refresh token from the {@code refresh_token} form
 * field or the configured cookie. Ambiguous requests (two headers, two cookies, two fields) are
 * refused rather than guessed at.
 */
public final class DefaultTokenResolver implements TokenResolver {

    private static final String REFRESH_FIELD = "refresh_token";
    /** The only body media type a logout reads. */
    static final String FORM = "application/x-www-form-urlencoded";

    private final String accessCookie;
    private final String refreshCookie;
    private final boolean albHeader;

    /**
     * Creates the resolver.
     *
     * @param settings the settings naming the cookies, if any
     */
    public DefaultTokenResolver(RevocationSettings settings) {
        this.accessCookie = settings.accessTokenCookie().orElse(null);
        this.refreshCookie = settings.refreshTokenCookie().orElse(null);
        this.albHeader = settings.albSessionCookie().isPresent();
    }

    @Override
    public Optional<String> resolve(HttpServletRequest request, TokenType type) {
        return type == TokenType.ACCESS ? access(request) : refresh(request);
    }

    private Optional<String> access(HttpServletRequest request) {
        Enumeration<String> headers = request.getHeaders("Authorization");
        String header = null;
        if (headers != null && headers.hasMoreElements()) {
            header = headers.nextElement();
            if (headers.hasMoreElements()) {
                throw new InvalidRequestException("The request carries more than one Authorization header");
            }
        }
        if (header != null && header.regionMatches(true, 0, "Bearer", 0, 6)) {
            return Optional.of(bearerToken(header));
        }
        if (albHeader) {
            Optional<String> alb = albToken(request);
            if (alb.isPresent()) {
                return alb;
            }
        }
        return cookie(request, accessCookie);
    }

    /** The load balancer's header: the bare token, one header only. */
    private static Optional<String> albToken(HttpServletRequest request) {
        Enumeration<String> headers = request.getHeaders(PresentedTokens.ALB_ACCESS_TOKEN);
        if (headers == null || !headers.hasMoreElements()) {
            return Optional.empty();
        }
        String value = headers.nextElement();
        if (headers.hasMoreElements()) {
            throw new InvalidRequestException("The request carries more than one "
                    + PresentedTokens.ALB_ACCESS_TOKEN + " header");
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /**
     * The token of a header that starts with the scheme {@code Bearer} (any case): the whole header
     * must be the scheme, one or more spaces and one token, with nothing after it but spaces.
     *
     * <p>The token's characters are not checked here, on every request: whatever reads the token
     * checks them anyway (the denylist lookup decodes the payload strictly and ignores anything that
     * is not a JWS; verification at logout parses it with Nimbus). A regular expression did all of
     * this before and cost more than the whole denylist check.
     */
    private static String bearerToken(String header) {
        int n = header.length();
        int start = 6;
        if (start == n || header.charAt(start) != ' ') {
            throw malformedBearer();
        }
        while (start < n && header.charAt(start) == ' ') {
            start++;
        }
        int end = n;
        while (end > start && header.charAt(end - 1) == ' ') {
            end--;
        }
        // One token only: String.indexOf is vectorized, a character loop over 1 KB is not free.
        int space = header.indexOf(' ', start);
        if (start == end || (space >= 0 && space < end)) {
            throw malformedBearer();
        }
        return start == 7 && end == n ? header.substring(7) : header.substring(start, end);
    }

    private static InvalidRequestException malformedBearer() {
        return new InvalidRequestException("The Authorization header is not a well-formed bearer token");
    }

    private Optional<String> refresh(HttpServletRequest request) {
        if (namesParameter(request.getQueryString(), REFRESH_FIELD)) {
            // URLs end up in access logs; a refresh token must travel in the body.
            throw new InvalidRequestException("The refresh_token must be sent in the request body, not in the URL");
        }
        if (hasBody(request) && !isForm(request.getContentType())) {
            // A JSON or multipart body's refresh_token would be ignored: say so rather than answer 204.
            throw new UnsupportedMediaTypeException("A logout body must be " + FORM);
        }
        String[] values = request.getParameterValues(REFRESH_FIELD);
        if (values != null && values.length > 1) {
            throw new InvalidRequestException("The request carries more than one refresh_token");
        }
        if (values != null && !values[0].isBlank()) {
            return Optional.of(values[0].strip());
        }
        return cookie(request, refreshCookie);
    }

    /**
     * Whether a raw query string has a parameter of that name, however its name is percent-encoded
     * ({@code refresh%5Ftoken} is {@code refresh_token} to every servlet container).
     */
    static boolean namesParameter(String query, String name) {
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String raw = eq < 0 ? pair : pair.substring(0, eq);
            if (raw.equals(name) || (raw.indexOf('%') >= 0 || raw.indexOf('+') >= 0) && name.equals(percentDecode(raw))) {
                return true;
            }
        }
        return false;
    }

    /** Percent-decodes leniently: a malformed escape stays as it is, as containers leave it. */
    static String percentDecode(String s) {
        return PercentDecoded.of(s).toString();
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.equalsIgnoreCase(FORM);
    }

    private static Optional<String> cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = name == null ? null : request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        String found = null;
        for (Cookie c : cookies) {
            if (name.equals(c.getName()) && c.getValue() != null && !c.getValue().isBlank()) {
                if (found != null) {
                    throw new InvalidRequestException("The request carries the cookie " + name + " more than once");
                }
                found = c.getValue();
            }
        }
        return Optional.ofNullable(found);
    }
}
