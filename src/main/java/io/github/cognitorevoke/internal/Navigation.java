package io.github.cognitorevoke.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

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

    /** What a request of a session whose token was revoked is told. */
    public static final String SESSION_REVOKED = "The session's token has been revoked; sign in again";

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
     * {@code GET} and {@code HEAD} when it is printable ASCII and not an OAuth authorization response
     * (a single-use {@code code} with its {@code state}, on which the server's login just signed in).
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
        if (!safe || query == null || !printableAscii(query) || authorizationResponse(query)) {
            return uri;
        }
        return uri + "?" + query;
    }

    /**
     * Whether a query is an OAuth authorization response ({@code state} with {@code code} or
     * {@code error}): the request on which the server's login completed a sign-in (Jakarta Security
     * exchanges the code on the original address or the callback, with these parameters). Its code is
     * single-use and its state is gone with the session: sent there again, the login would fail
     * (WildFly answers 500) instead of starting a new sign-in.
     */
    static boolean authorizationResponse(String query) {
        boolean state = false;
        boolean codeOrError = false;
        // One pass: each parameter's name runs from its start to the first '=' or '&' (a search for
        // '=' past the parameter's end would read the rest of the query once per parameter).
        int n = query.length();
        int start = 0;
        while (start <= n) {
            int nameEnd = start;
            while (nameEnd < n && query.charAt(nameEnd) != '=' && query.charAt(nameEnd) != '&') {
                nameEnd++;
            }
            state |= query.startsWith("state", start) && nameEnd - start == 5;
            codeOrError |= query.startsWith("code", start) && nameEnd - start == 4
                    || query.startsWith("error", start) && nameEnd - start == 5;
            int end = query.indexOf('&', nameEnd);
            start = end < 0 ? n + 1 : end + 1;
        }
        return state && codeOrError;
    }

    /** The page of {@link #comeBack}: fixed text, nothing of the request in it. */
    private static final byte[] COME_BACK_PAGE = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<title>Signed out</title></head>\n<body><p>You were signed out. Signing in again in a moment&hellip;</p>"
            + "</body></html>\n").getBytes(StandardCharsets.UTF_8);

    /**
     * Sends a navigation to sign in again after a wait, when signing in again at once would only be
     * refused again (tokens of a second that a sign-out everywhere still covers): {@code 401} (the
     * session's credentials are revoked, as a script is told) with
     * {@code WWW-Authenticate: Bearer error="invalid_token"}, {@code Refresh: <wait>;url=<}{@link #again}{@code >},
     * {@code Cache-Control: no-store} and a small fixed HTML page. The browser shows the page and
     * comes back to the same address by itself; the container's thread does not wait. The address is
     * the one the 303 would have carried: a relative reference to this server, printable ASCII
     * without spaces, so it can neither leave the server nor end the header; the page itself carries
     * nothing of the request.
     *
     * @param request  the request
     * @param response the response, not yet committed
     * @param wait     the seconds to wait, at least 1
     * @throws IOException if the page cannot be written
     */
    public static void comeBack(HttpServletRequest request, HttpServletResponse response, int wait)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", Rejection.INVALID_TOKEN.headerValue(SESSION_REVOKED));
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Refresh", Math.max(1, wait) + ";url=" + again(request));
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(COME_BACK_PAGE.length);
        response.getOutputStream().write(COME_BACK_PAGE);
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
