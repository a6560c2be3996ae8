package io.github.cognitorevoke.it;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.cognitorevoke.testing.CognitoStub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for an AWS Application Load Balancer that authenticates with Cognito, in front of a real
 * server, for a real browser: a request without the ALB's session cookies is sent to the managed login
 * ({@code /oauth2/authorize}); {@code /oauth2/idpresponse} exchanges the code at {@code /oauth2/token}
 * (client secret, as the ALB does) and sets the session as two cookies, {@code <prefix>-0} and
 * {@code <prefix>-1} ({@code Path=/}, {@code Secure}, {@code HttpOnly}, as the ALB shards a large session);
 * every other request is forwarded with the session's access token in {@code X-Amzn-Oidc-Accesstoken}
 * and the browser's cookies. The ALB keeps the tokens (here: in memory by session id); the application
 * sees only the header.
 *
 * <p>Not an ALB: it forwards with its own {@code Host} (the server's) and says the browser's host in
 * {@code X-Forwarded-Host}; no {@code X-Amzn-Oidc-Data}, no refresh. Listens on {@code localhost}, which
 * the browser treats as a secure context, so that {@code Secure} cookies are kept over HTTP.
 */
final class FakeAlb implements AutoCloseable {

    static final String HEADER = "X-Amzn-Oidc-Accesstoken";
    private static final List<String> FORWARDED = List.of("Accept", "Content-Type", "Cookie", "Origin",
            "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest", "Referer");

    private final CognitoStub stub;
    private final String client;
    private final String secret;
    private final String prefix;
    private final URI target;
    private final HttpServer server;
    private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
    private volatile String lastAccessToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * Starts the load balancer on a free port.
     *
     * @param stub   the Cognito stub (its managed login)
     * @param client the confidential app client the ALB signs in with
     * @param secret its secret
     * @param prefix the listener's {@code SessionCookieName}
     * @param target the server, {@code http://host:port} without a path; paths are forwarded unchanged
     * @throws IOException if it cannot listen
     */
    FakeAlb(CognitoStub stub, String client, String secret, String prefix, URI target) throws IOException {
        this.stub = stub;
        this.client = client;
        this.secret = secret;
        this.prefix = prefix;
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @return {@code http://localhost:<port>} */
    String origin() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** @return the redirect URI to register as the app client's callback URL */
    String callback() {
        return origin() + "/oauth2/idpresponse";
    }

    /** @return the access token of the last sign-in, which the ALB keeps and the test may try itself */
    String lastAccessToken() {
        return lastAccessToken;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (path.equals("/oauth2/idpresponse")) {
                signedIn(ex);
                return;
            }
            Optional<String> access = session(ex.getRequestHeaders().getFirst("Cookie")).map(accessTokens::get);
            if (access.isEmpty()) {
                String state = ex.getRequestURI().getRawPath()
                        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
                redirect(ex, stub.managedLoginDomain() + "/oauth2/authorize?response_type=code&client_id=" + client
                        + "&redirect_uri=" + enc(callback()) + "&scope=openid&state=" + enc(state));
                return;
            }
            forward(ex, access.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.sendResponseHeaders(502, -1);
        }
    }

    private void signedIn(HttpExchange ex) throws IOException, InterruptedException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        String form = "grant_type=authorization_code&client_id=" + client + "&code=" + enc(q.get("code"))
                + "&redirect_uri=" + enc(callback());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stub.managedLoginDomain() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (client + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            ex.sendResponseHeaders(401, -1); // the ALB's 401 when the token endpoint refuses
            return;
        }
        String access;
        try {
            access = (String) JSONObjectUtils.parse(r.body()).get("access_token");
        } catch (java.text.ParseException e) {
            throw new IOException("the token endpoint's answer", e);
        }
        RunSecrets.remember(access);
        byte[] id = new byte[24];
        new SecureRandom().nextBytes(id);
        String session = HexFormat.of().formatHex(id);
        accessTokens.put(session, access);
        lastAccessToken = access;
        ex.getResponseHeaders().add("Set-Cookie", prefix + "-0=" + session.substring(0, 24)
                + "; Path=/; Secure; HttpOnly");
        ex.getResponseHeaders().add("Set-Cookie", prefix + "-1=" + session.substring(24) + "; Path=/; Secure; HttpOnly");
        String state = q.getOrDefault("state", "/");
        redirect(ex, state.startsWith("/") && !state.startsWith("//") ? state : "/");
    }

    private void forward(HttpExchange ex, String access) throws IOException, InterruptedException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().getRawPath()
                        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery())))
                .timeout(Duration.ofSeconds(30))
                .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header(HEADER, access)
                .header("X-Forwarded-Host", ex.getRequestHeaders().getFirst("Host"))
                .header("X-Forwarded-Proto", "http");
        for (String name : FORWARDED) {
            String value = ex.getRequestHeaders().getFirst(name);
            if (value != null) {
                b.header(name, value);
            }
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        r.headers().map().forEach((name, values) -> {
            if (!List.of("content-length", "transfer-encoding", "connection", ":status").contains(name.toLowerCase())) {
                values.forEach(v -> ex.getResponseHeaders().add(name, v));
            }
        });
        byte[] out = r.body();
        ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    /** The session id the two cookies carry, when both are there. */
    private Optional<String> session(String cookieHeader) {
        if (cookieHeader == null) {
            return Optional.empty();
        }
        String first = null;
        String second = null;
        for (String part : cookieHeader.split(";")) {
            String c = part.strip();
            if (c.startsWith(prefix + "-0=")) {
                first = c.substring(prefix.length() + 3);
            } else if (c.startsWith(prefix + "-1=")) {
                second = c.substring(prefix.length() + 3);
            }
        }
        return first == null || second == null ? Optional.empty() : Optional.of(first + second);
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(302, -1);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new ConcurrentHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
