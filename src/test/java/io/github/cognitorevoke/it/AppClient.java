package io.github.cognitorevoke.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** An HTTP client for a deployed test application; remembers every token it sends in {@link RunSecrets}. */
public final class AppClient {

    /** The {@code WWW-Authenticate} header the filter answers for a revoked token (README, RFC 6750). */
    public static final String REVOKED_CHALLENGE =
            "Bearer error=\"invalid_token\", error_description=\"The access token has been revoked\"";

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * A client for one deployment.
     *
     * @param base the deployment's URL, as Arquillian injects it
     */
    public AppClient(URL base) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
    }

    /**
     * {@code GET path}, with {@code Authorization: Bearer <token>} unless the token is null.
     *
     * @param path relative to the context root, e.g. {@code protected}
     * @param bearer the token or null
     * @return the response
     */
    public HttpResponse<String> get(String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
        return send(withBearer(b, bearer));
    }

    /**
     * {@code POST path} with an {@code application/x-www-form-urlencoded} body.
     *
     * @param path relative to the context root
     * @param bearer the token for {@code Authorization: Bearer}, or null
     * @param form the form fields (null values are left out)
     * @return the response
     */
    public HttpResponse<String> postForm(String path, String bearer, Map<String, String> form) {
        String body = form.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .peek(e -> RunSecrets.remember(e.getValue()))
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(withBearer(b, bearer));
    }

    /**
     * The logout of the README: {@code POST /logout}, the access token as bearer, the refresh token as form field.
     *
     * @param accessToken the access token or null
     * @param refreshToken the refresh token or null
     * @return the response
     */
    public HttpResponse<String> logout(String accessToken, String refreshToken) {
        return postForm("logout", accessToken, form("refresh_token", refreshToken));
    }

    /**
     * Logs out through the application's {@code TokenRevocationService} ({@code POST probe/logout}).
     *
     * @param accessToken the access token or null
     * @param refreshToken the refresh token or null
     * @return the response; its body holds {@code status=...} lines
     */
    public HttpResponse<String> logoutThroughBean(String accessToken, String refreshToken) {
        Map<String, String> form = form("access_token", accessToken);
        form.put("refresh_token", refreshToken);
        return postForm("probe/logout", null, form);
    }

    /**
     * Asks the application's {@code TokenRevocationService.isRevoked}.
     *
     * @param token an access or ID token
     * @return the bean's answer
     */
    public boolean isRevokedPerBean(String token) {
        HttpResponse<String> r = postForm("probe/revoked", null, form("token", token));
        if (r.statusCode() != 200) {
            throw new AssertionError("probe/revoked answered " + r.statusCode() + ": " + r.body());
        }
        return Boolean.parseBoolean(value(r.body(), "revoked"));
    }

    /**
     * The application's {@code TokenRevocationService.pendingRevocations()}.
     *
     * @return the count
     */
    public int pendingRevocations() {
        return Integer.parseInt(value(get("probe/pending", null).body(), "pending"));
    }

    /**
     * Fails with the server's reason if the application does not serve: the Payara adapter reports a
     * failed deployment as deployed, and the tests would only see 404s.
     *
     * @return this client
     */
    public AppClient requireDeployed() {
        int status = get("probe/pending", null).statusCode();
        if (status != 200) {
            List<String> lines = ServerLogs.since(0).lines()
                    .filter(l -> l.contains("Exception") || l.contains("init-param"))
                    .collect(Collectors.toList());
            String reasons = String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
            throw new AssertionError("the test application does not serve on " + ServerLogs.server()
                    + " (GET probe/pending answered " + status + "); the server log says:\n" + reasons);
        }
        return this;
    }

    /**
     * The value of a {@code key=value} line of a probe answer.
     *
     * @param body the answer
     * @param key the key
     * @return the value
     */
    public static String value(String body, String key) {
        return body.lines().filter(l -> l.startsWith(key + "=")).findFirst()
                .map(l -> l.substring(key.length() + 1))
                .orElseThrow(() -> new AssertionError("no " + key + "= in " + body));
    }

    /** @return the deployment's URL */
    @Override
    public String toString() {
        return base.toString();
    }

    private static Map<String, String> form(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    private static HttpRequest.Builder withBearer(HttpRequest.Builder b, String bearer) {
        if (bearer != null) {
            RunSecrets.remember(bearer);
            b.header("Authorization", "Bearer " + bearer);
        }
        return b;
    }

    /**
     * Sends a request built elsewhere (for headers the methods above do not set).
     *
     * @param request the request
     * @return the response, its body as text
     */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
