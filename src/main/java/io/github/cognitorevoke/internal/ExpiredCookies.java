package io.github.cognitorevoke.internal;

import jakarta.servlet.http.Cookie;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** The {@code Set-Cookie}s that expire the configured token cookies at logout. */
public final class ExpiredCookies {

    private final Set<String> names;

    /**
     * Creates the rule for these cookie names.
     *
     * @param names the configured cookie names
     */
    public ExpiredCookies(Collection<String> names) {
        this.names = Set.copyOf(names);
    }

    /**
     * The cookies to add to a logout's response.
     *
     * @param contextPath the application's context path ({@code ""} for the root)
     * @param secure      whether the request came over HTTPS
     * @return the expired cookies, possibly two per name
     */
    public List<Cookie> forResponse(String contextPath, boolean secure) {
        String path = contextPath.isEmpty() ? "/" : contextPath;
        List<Cookie> out = new ArrayList<>(names.size() * 2);
        for (String name : names) {
            // Browsers drop a Set-Cookie that breaks a name prefix's rules, which would leave the
            // cookie in place: __Host- wants Secure and Path=/, __Secure- wants Secure.
            if (name.startsWith("__Host-")) {
                out.add(expired(name, "/", true));
            } else if (name.startsWith("__Secure-")) {
                out.add(expired(name, path, true));
            } else {
                out.add(expired(name, path, secure));
                if (!secure) {
                    // Behind a TLS-terminating proxy the browser may hold a Secure cookie: expire that too.
                    out.add(expired(name, path, true));
                }
            }
        }
        return out;
    }

    /** A {@code Set-Cookie} that ends the cookie of that name and path: empty, {@code Max-Age=0}, HttpOnly. */
    static Cookie expired(String name, String path, boolean secure) {
        Cookie cookie = new Cookie(name, "");
        cookie.setMaxAge(0);
        cookie.setPath(path);
        cookie.setHttpOnly(true);
        cookie.setSecure(secure);
        return cookie;
    }
}
