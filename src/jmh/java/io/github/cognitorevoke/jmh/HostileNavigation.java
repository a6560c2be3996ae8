package io.github.cognitorevoke.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BENCHMARKS.md's "Hostile headers", a revoked session's navigation, on a real server
 * (bench/hostile-session.sh): a browser's page load ({@code Sec-Fetch-Mode: navigate},
 * {@code Accept: text/html}) whose caller the server's own OpenID Connect login (elytron-oidc-client
 * with its cookie token store) still knows, but whose access token was revoked. RevocationFilter then
 * ends the session and sends the browser to sign in again, at an address built from the whole query
 * string ({@code Navigation.again}): the query is the attacker's, up to the container's limit.
 *
 * <p>The client signs in once through the server's login against the Cognito stub's managed login
 * (plain HTTP, no browser), logs the session's access token out through the filter's logout path,
 * and keeps sending the same token cookie: elytron reads the caller back from it on every request,
 * so every request takes the revoked-session path afresh. Untimed checks first: a live session's
 * plain query of that size is served (200), and the revoked session's is sent to sign in again
 * (303 with {@code Location} the same address and query, once the token is old enough that the
 * filter no longer asks for a one-second wait: 401 with {@code Refresh} to the same address).
 *
 * <p>Shapes: every query shape of {@link HostileHeaders} (its {@code plain} is the reference), and
 * shapes that the query parsing of {@code again} walks: {@code amp} ({@code a&a&...}),
 * {@code statecode} ({@code state&code&...}, an authorization response to the parser),
 * {@code equals} ({@code =&=&...}), {@code percent} ({@code %41} repeated), {@code names}
 * ({@code a1=&a2=&...}, every name different). All of the same length.
 */
final class HostileNavigation {

    /** elytron-oidc-client's token cookie with {@code "token-store": "cookie"}. */
    static final String TOKEN_COOKIE = "OIDC_STATE";
    static final List<String> QUERY_SHAPES = List.of("amp", "statecode", "equals", "percent", "names");

    private HostileNavigation() {
    }

    /** A query shape of this class, exactly {@code size} characters long. */
    static String query(String shape, int size) {
        StringBuilder b = new StringBuilder(size + 16);
        switch (shape) {
            case "amp" -> b.append("a&".repeat(size / 2 + 1));
            case "statecode" -> b.append("state&code&".repeat(size / 11 + 1));
            case "equals" -> b.append("=&".repeat(size / 2 + 1));
            case "percent" -> b.append("%41".repeat(size / 3 + 1));
            case "names" -> {
                for (int i = 0; b.length() < size; i++) {
                    b.append('a').append(i).append("=&");
                }
            }
            default -> {
                return HostileHeaders.text(shape, "query", size);
            }
        }
        b.setLength(size);
        if (b.charAt(size - 1) == '%' || b.charAt(size - 2) == '%') {
            b.setLength(size - 2);
            b.append("AA");
        }
        return b.toString();
    }

    /** A browser's page load of {@code path?query} with that cookie. */
    static byte[] navigation(String host, String path, String query, String cookie) {
        return ("GET " + path + "?" + query + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + "Accept: text/html,application/xhtml+xml\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Dest: document\r\n"
                + "Cookie: " + cookie + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * {@code HOST PORT PATH LOGOUT SIZE N WARMUP OUT USER PASSWORD}: PATH a constrained page of an
     * application whose login is elytron-oidc-client (cookie token store) on the stub, LOGOUT the
     * filter's logout path. Writes one line per shape to OUT ({@code navigation shape size median p90},
     * ms) and one for the live session's plain query ({@code live plain ...}); a shape the container
     * refuses (400, or the connection closed: Undertow's max-parameters) is not timed but listed in
     * OUT{@code .refused}. Exits 2 if a check fails or a shape's answer is neither of those nor the
     * navigation's (303, or 401 with {@code Refresh}).
     */
    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String path = args[2];
        String logout = args[3];
        int size = Integer.parseInt(args[4]);
        int n = Integer.parseInt(args[5]);
        int warmup = Integer.parseInt(args[6]);
        Path out = Path.of(args[7]);
        String base = "http://" + host + ":" + port;
        Files.deleteIfExists(out);

        String tokens = signIn(base + path, args[8], args[9]);
        String cookie = TOKEN_COOKIE + "=" + tokens;
        String plain = query("plain", size);
        List<String> shapes = new ArrayList<>(HostileHeaders.SHAPES);
        shapes.addAll(QUERY_SHAPES);
        try (HostileHeaders.Client c = new HostileHeaders.Client(host, port);
             PrintStream results = new PrintStream(Files.newOutputStream(out), true);
             PrintStream refused = new PrintStream(Files.newOutputStream(
                     out.resolveSibling(out.getFileName() + ".refused")), true)) {
            HostileHeaders.Answer live = c.send(navigation(host, path, plain, cookie));
            check(live.status() == 200, "a live session's plain query of " + size + " characters answered "
                    + live.status() + ", not 200");
            results.println(line("live", "plain", size, time(c, navigation(host, path, plain, cookie), n, warmup, 200)));

            String access = tokens.split("###", -1)[0];
            HttpResponse<String> loggedOut = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(base + logout)).header("Authorization", "Bearer " + access)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            check(loggedOut.statusCode() == 204 || loggedOut.statusCode() == 202,
                    "the logout of the session's access token answered " + loggedOut.statusCode());

            // A token issued in the last seconds may mean that the provider's clock lags ours: the filter
            // then answers 401 with a Refresh of one second instead of the 303. Both carry the address of
            // Navigation.again; the figures are of the 303, which every later request gets.
            HostileHeaders.Answer again = c.send(navigation(host, path, plain, cookie));
            for (int i = 0; i < 60 && again.status() == 401 && again.header("Refresh") != null; i++) {
                Thread.sleep(1000);
                again = c.send(navigation(host, path, plain, cookie));
            }
            check(revokedNavigation(again, path + "?" + plain), "the revoked session's navigation answered "
                    + again.status() + (again.status() == 303 ? " to another address" : "") + ", not 303 to "
                    + path + "?<the query> nor 401 with Refresh");
            System.out.printf("revoked session, plain query: the path of Navigation.again:%n%s%n", outline(again));

            for (String shape : shapes) {
                byte[] request = navigation(host, path, query(shape, size), cookie);
                HostileHeaders.Answer first;
                try {
                    first = c.send(request);
                } catch (IOException closed) {
                    first = null;
                }
                if (first == null || first.status() == 400) {
                    // Undertow's max-parameters: it stops reading at the limit, answers 400 and closes
                    // the connection, often before the client has written the whole query.
                    c.close();
                    String line = "navigation " + shape + " " + size + " refused by the container ("
                            + (first == null ? "connection closed" : "400") + "), never reaches the filter";
                    refused.println(line);
                    System.out.println(line);
                    continue;
                }
                check(sentToSignIn(first, path), shape + ": answered " + first.status()
                        + ", neither the navigation's 303 or 401 (to " + path + ") nor the container's 400");
                String line = line("navigation", shape, size, time(c, request, n, warmup, first.status()));
                results.println(line);
                System.out.println(line + "   (" + first.status() + ")");
            }
        }
    }

    /** 303 to the same address (the query kept when it is kept), or 401 whose {@code Refresh} comes back there. */
    private static boolean revokedNavigation(HostileHeaders.Answer a, String target) {
        return sentToSignIn(a, target) && (a.status() == 303 ? a.header("Location") : a.header("Refresh"))
                .endsWith(target);
    }

    /** The filter's answer to a revoked session's navigation: 303, or 401 with {@code Refresh}, to that path. */
    private static boolean sentToSignIn(HostileHeaders.Answer a, String path) {
        String location = a.header("Location");
        String refresh = a.header("Refresh");
        return a.status() == 303 && location != null && location.startsWith(path)
                || a.status() == 401 && refresh != null && refresh.matches("\\d+;url=.*")
                && refresh.substring(refresh.indexOf("url=") + 4).startsWith(path);
    }

    /**
     * An answer's head without its values' bulk: each header's name and length, the start of
     * {@code Refresh} and {@code Location} (never a cookie's value).
     */
    private static String outline(HostileHeaders.Answer a) {
        StringBuilder b = new StringBuilder();
        for (String h : a.head().split("\r\n")) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                b.append("  ").append(h).append('\n');
                continue;
            }
            String name = h.substring(0, colon);
            boolean shown = name.equalsIgnoreCase("Refresh") || name.equalsIgnoreCase("Location")
                    || name.equalsIgnoreCase("Cache-Control") || name.equalsIgnoreCase("Content-Length");
            b.append("  ").append(name).append(": ").append(shown ? h.substring(colon + 1, Math.min(h.length(), colon + 40)).trim()
                    + (h.length() > colon + 40 ? "... (" + (h.length() - colon - 1) + " characters)" : "")
                    : "(" + (h.length() - colon - 1) + " characters)").append('\n');
        }
        return b.toString();
    }

    private static String line(String place, String shape, int size, String times) {
        return String.format("%s %s %d %s", place, shape, size, times);
    }

    /** WARMUP untimed then N timed requests, each answered {@code status}; "median p90" in ms. */
    private static String time(HostileHeaders.Client c, byte[] request, int n, int warmup, int status)
            throws Exception {
        double[] ms = new double[n];
        for (int i = -warmup; i < n; i++) {
            HostileHeaders.Answer a = c.send(request);
            check(a.status() == status, "answered " + a.status() + " after " + status);
            if (i >= 0) {
                ms[i] = a.nanos() / 1e6;
            }
        }
        return HostileHeaders.medianAndP90(ms);
    }

    /**
     * Signs in through the server's login: the page sends the client to the stub's managed login,
     * the form is posted with the user's credentials, the stub sends the code back to the page, the
     * server exchanges it and serves the page. Returns the token cookie's value.
     */
    private static String signIn(String page, String user, String password) throws Exception {
        CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(page)).header("Accept", "text/html")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        check(form.statusCode() == 200 && form.body().contains("signInFormUsername"),
                "the page did not lead to the managed login's form: " + form.statusCode() + " at " + form.uri());
        Matcher m = Pattern.compile("type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"").matcher(form.body());
        StringBuilder body = new StringBuilder();
        while (m.find()) {
            body.append(encode(unescape(m.group(1)))).append('=').append(encode(unescape(m.group(2)))).append('&');
        }
        body.append("username=").append(encode(user)).append("&password=").append(encode(password));
        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(form.uri().resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        check(signedIn.statusCode() == 200 && signedIn.uri().getPath().equals(URI.create(page).getPath()),
                "the sign-in ended with " + signedIn.statusCode() + " at " + signedIn.uri().getPath());
        for (HttpCookie c : cookies.getCookieStore().getCookies()) {
            if (c.getName().equals(TOKEN_COOKIE)) {
                check(c.getValue().split("###", -1).length == 3, "the token cookie is not access###id###refresh");
                return c.getValue();
            }
        }
        throw new IllegalStateException("signed in, but no " + TOKEN_COOKIE + " cookie (is the token store the cookie?)");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    private static void check(boolean ok, String failure) {
        if (!ok) {
            System.out.println("CHECK FAILED: " + failure);
            System.exit(2);
        }
    }
}
