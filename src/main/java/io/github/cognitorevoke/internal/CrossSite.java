package io.github.cognitorevoke.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/**
 * Whether a browser sent a request from another site: {@code Sec-Fetch-Site} when the browser
 * sends it (all current ones do), else {@code Origin} against {@code Host} or
 * {@code X-Forwarded-Host}. A request with neither (curl, a server, an old browser) is not judged.
 */
public final class CrossSite {

    private CrossSite() {
    }

    /**
     * Judges a request by its headers.
     *
     * @param request the request
     * @return true when the browser says it comes from another site
     */
    public static boolean judge(HttpServletRequest request) {
        return judge(request.getHeader("Sec-Fetch-Site"), request.getHeader("Origin"),
                request.getHeader("Host"), request.getHeader("X-Forwarded-Host"));
    }

    /**
     * Judges the header values; any of them may be null (absent).
     *
     * @param secFetchSite  {@code Sec-Fetch-Site}
     * @param origin        {@code Origin}
     * @param host          {@code Host}
     * @param forwardedHost {@code X-Forwarded-Host}
     * @return true when the browser says the request comes from another site
     */
    public static boolean judge(String secFetchSite, String origin, String host, String forwardedHost) {
        if (secFetchSite != null) {
            // same-site (a sibling subdomain) is another application: refused too.
            return !("same-origin".equalsIgnoreCase(secFetchSite) || "none".equalsIgnoreCase(secFetchSite));
        }
        if (origin == null) {
            return false;
        }
        String authority = authority(origin);
        if (authority == null) {
            return true; // "null" or garbage: an opaque origin is never this application
        }
        return !(authority.equalsIgnoreCase(hostWithoutDefaultPort(host))
                || authority.equalsIgnoreCase(hostWithoutDefaultPort(forwardedHost)));
    }

    /** The host[:port] of an origin, without the scheme's default port; null if it is not one. */
    private static String authority(String origin) {
        int scheme = origin.indexOf("://");
        if (scheme <= 0) {
            return null;
        }
        String s = origin.substring(0, scheme).toLowerCase(Locale.ROOT);
        String rest = origin.substring(scheme + 3);
        if (rest.isEmpty() || rest.indexOf('/') >= 0) {
            return null;
        }
        if (("https".equals(s) && rest.endsWith(":443")) || ("http".equals(s) && rest.endsWith(":80"))) {
            rest = rest.substring(0, rest.lastIndexOf(':'));
        }
        return rest;
    }

    private static String hostWithoutDefaultPort(String host) {
        if (host == null) {
            return null;
        }
        String h = host.strip();
        return h.endsWith(":80") || h.endsWith(":443") ? h.substring(0, h.lastIndexOf(':')) : h;
    }
}
