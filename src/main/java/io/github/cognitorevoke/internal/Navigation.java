package io.github.cognitorevoke.internal;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Whether a request is a browser's navigation (a page load, a form submission) rather than a
 * script's call ({@code fetch}, {@code XMLHttpRequest}), for the answer to a session whose token
 * was revoked: a navigation is sent to sign in again, a script gets 401 (a redirect to the sign-in
 * page would hand it an HTML page it cannot use, and cross-origin it would fail on CORS).
 *
 * <ol>
 *   <li>{@code Sec-Fetch-Mode}, which every current browser sends and scripts cannot set: a
 *       navigation exactly when it is {@code navigate};</li>
 *   <li>without it (an older browser, a non-browser client): {@code X-Requested-With:
 *       XMLHttpRequest} (jQuery, JSF's Ajax, many frameworks) is a script;</li>
 *   <li>else a navigation when {@code Accept} names {@code text/html}, as browsers' page loads do;
 *       anything else (no {@code Accept}, JSON, {@code *}{@code /*}) is a script.</li>
 * </ol>
 */
public final class Navigation {

    private Navigation() {
    }

    /**
     * Tells a navigation from a script's call.
     *
     * @param request the request
     * @return true for a navigation
     */
    public static boolean isNavigation(HttpServletRequest request) {
        String mode = request.getHeader("Sec-Fetch-Mode");
        if (mode != null) {
            return "navigate".equalsIgnoreCase(mode.trim());
        }
        if ("XMLHttpRequest".equalsIgnoreCase(request.getHeader("X-Requested-With"))) {
            return false;
        }
        String accept = request.getHeader("Accept");
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/html");
    }

    /**
     * Where a navigation goes to sign in again: the same address, which the server's own login
     * protects, so that it starts a new sign-in. Only the path is used (a relative reference, never
     * another host); a path the browser would read as another host ({@code //...}, a backslash)
     * or that is not printable ASCII is replaced by the application's root. The query is kept for
     * {@code GET} and {@code HEAD} when it is printable ASCII.
     *
     * @param request the request
     * @return the location, relative to the server
     */
    public static String again(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri == null || !uri.startsWith("/") || uri.startsWith("//") || uri.indexOf('\\') >= 0
                || !printableAscii(uri)) {
            return request.getContextPath() + "/";
        }
        String query = request.getQueryString();
        boolean safe = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        if (!safe || query == null || !printableAscii(query)) {
            return uri;
        }
        return uri + "?" + query;
    }

    /**
     * A request target is printable ASCII; anything else was decoded by the container (Jetty hands
     * over a raw request line's UTF-8 in the query as characters), and a character such as U+010A
     * is a line feed to a container that writes a header's characters as bytes.
     */
    private static boolean printableAscii(String s) {
        return s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
