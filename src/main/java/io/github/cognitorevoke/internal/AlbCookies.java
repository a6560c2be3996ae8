package io.github.cognitorevoke.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The session cookies of an AWS Application Load Balancer that signs users in with Cognito:
 * {@code <prefix>-0}, {@code <prefix>-1}, ... (the ALB shards a large session over several). A
 * logout expires each one the request carries, as the ALB sets them: {@code Path=/}, Secure,
 * HttpOnly, no domain. Otherwise the ALB keeps its session and lets the user straight back in.
 */
public final class AlbCookies {

    /** More shards than a 16 KB cookie header can carry: a longer number is not the ALB's. */
    private static final int MAX_SHARD_DIGITS = 4;

    private final String prefix;

    /**
     * Creates the rule for a prefix.
     *
     * @param prefix the listener's {@code SessionCookieName}, e.g. {@code AWSELBAuthSessionCookie}
     */
    public AlbCookies(String prefix) {
        this.prefix = prefix + "-";
    }

    /**
     * The cookies to add to a logout's response: one expired {@code <prefix>-N} per such name the
     * request carries; no other cookie.
     *
     * @param request the logout request
     * @return the expired cookies, empty when it carries none
     */
    public List<Cookie> forResponse(HttpServletRequest request) {
        Cookie[] carried;
        try {
            carried = request.getCookies();
        } catch (IllegalArgumentException | IllegalStateException unreadable) {
            return List.of(); // a Cookie header the container cannot parse: nothing of the ALB's to name
        }
        if (carried == null) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (Cookie cookie : carried) {
            if (isShard(cookie.getName())) {
                names.add(cookie.getName());
            }
        }
        return names.stream().map(name -> ExpiredCookies.expired(name, "/", true)).toList();
    }

    private boolean isShard(String name) {
        int digits = name.length() - prefix.length();
        if (digits < 1 || digits > MAX_SHARD_DIGITS || !name.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
