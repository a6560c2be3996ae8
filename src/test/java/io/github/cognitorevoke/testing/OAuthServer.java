package io.github.cognitorevoke.testing;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OpenID Connect side of the managed login in {@link CognitoStub}: discovery under the issuer,
 * {@code /oauth2/authorize}, the sign-in form at {@code /login}, {@code /oauth2/token}
 * (authorization code with optional PKCE, refresh token), {@code /oauth2/userInfo}, and the
 * managed-login session cookie that makes the next sign-in skip the form. The rules, and what is
 * assumed about them, are listed on {@link CognitoStub}. Thread-safe: state is guarded by
 * {@code this}.
 */
final class OAuthServer {

    /** The paths served here besides discovery. */
    static final Set<String> PATHS = Set.of("/oauth2/authorize", "/login", "/oauth2/token", "/oauth2/userInfo",
            CognitoStub.SIGNED_OUT_PAGE);
    /** How long an authorization code can be exchanged (Cognito: five minutes). */
    static final Duration CODE_VALIDITY = Duration.ofMinutes(5);
    /** How long the managed-login session lasts (Cognito: one hour). */
    static final Duration SESSION_VALIDITY = Duration.ofHours(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserPool pool;
    private final ManagedLoginServer managedLogin;
    private final URI domain;
    private final String issuer;
    private final String jwksUri;
    private final Clock clock;
    private final Map<String, Code> codes = new HashMap<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private final AtomicInteger formSignIns = new AtomicInteger();
    private final AtomicInteger sessionSignIns = new AtomicInteger();

    private record Code(String clientId, String redirectUri, String username, String scope, String nonce,
                        String challenge, Instant authTime, Instant expires) {
    }

    /** {@code authTime}: when the user typed the password; every sign-in the session answers carries it. */
    private record Session(String username, Instant authTime, Instant expires) {
    }

    OAuthServer(UserPool pool, ManagedLoginServer managedLogin, URI domain, String issuer, String jwksUri, Clock clock) {
        this.pool = pool;
        this.managedLogin = managedLogin;
        this.domain = domain;
        this.issuer = issuer;
        this.jwksUri = jwksUri;
        this.clock = clock;
    }

    /** How many sign-ins went through the form (a password was typed). */
    int formSignIns() {
        return formSignIns.get();
    }

    /** How many sign-ins the managed-login session answered without the form. */
    int sessionSignIns() {
        return sessionSignIns.get();
    }

    /** Ends the managed-login session a {@code Cookie} header names ({@code GET /logout}). */
    synchronized void endSession(String cookieHeader) {
        String id = sessionId(cookieHeader);
        if (id != null) {
            sessions.remove(id);
        }
    }

    void serve(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
        if (path.endsWith("/.well-known/openid-configuration")) {
            ManagedLoginServer.send(exchange, 200, "application/json;charset=UTF-8", discovery());
            return;
        }
        switch (path) {
            case CognitoStub.SIGNED_OUT_PAGE -> ManagedLoginServer.send(exchange, 200, "text/html;charset=UTF-8",
                    "<!DOCTYPE html><title>Signed out</title><h1 id=\"signed-out\">Signed out</h1>");
            case "/oauth2/authorize" -> {
                if (!"GET".equals(method)) {
                    methodNotAllowed(exchange, "GET");
                } else {
                    authorize(exchange);
                }
            }
            case "/login" -> {
                if ("GET".equals(method)) {
                    loginPage(exchange, safeQuery(exchange.getRequestURI().getRawQuery()), null);
                } else if ("POST".equals(method)) {
                    signIn(exchange, body);
                } else {
                    methodNotAllowed(exchange, "GET, POST");
                }
            }
            case "/oauth2/token" -> {
                if (!"POST".equals(method)) {
                    methodNotAllowed(exchange, "POST");
                } else {
                    token(exchange, body);
                }
            }
            default -> userInfo(exchange);
        }
    }

    private String discovery() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("authorization_endpoint", domain + "/oauth2/authorize");
        d.put("end_session_endpoint", domain + "/logout");
        d.put("id_token_signing_alg_values_supported", List.of("RS256"));
        d.put("issuer", issuer);
        d.put("jwks_uri", jwksUri);
        d.put("response_types_supported", List.of("code", "token"));
        d.put("revocation_endpoint", domain + "/oauth2/revoke");
        d.put("scopes_supported", List.of("openid", "email", "phone", "profile"));
        d.put("subject_types_supported", List.of("public"));
        d.put("token_endpoint", domain + "/oauth2/token");
        d.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        d.put("userinfo_endpoint", domain + "/oauth2/userInfo");
        return JSONObjectUtils.toJSONString(d);
    }

    // ---------------------------------------------------------------- authorize and the form

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = safeQuery(exchange.getRequestURI().getRawQuery());
        String problem = badRequest(q);
        if (problem != null) {
            redirect(exchange, managedLogin.error(problem, q.get("client_id")), null);
            return;
        }
        Session session = session(exchange.getRequestHeaders().getFirst("Cookie"));
        if (session != null) {
            sessionSignIns.incrementAndGet();
            // No new authentication: the tokens carry the time the user typed the password.
            redirect(exchange, codeRedirect(q, session.username(), session.authTime()), null);
        } else {
            redirect(exchange, domain + "/login?" + ManagedLoginServer.encode(q), null);
        }
    }

    /** What is wrong with an authorization request, or null; in the order Cognito is assumed to check. */
    private String badRequest(Map<String, String> q) {
        if (q == null) {
            return "invalid_request";
        }
        String clientId = q.get("client_id");
        if (clientId == null || !pool.hasClient(clientId)) {
            return "invalid_client";
        }
        if (q.get("redirect_uri") == null || !managedLogin.callbackUrls(clientId).contains(q.get("redirect_uri"))) {
            return "redirect_mismatch";
        }
        if (!"code".equals(q.get("response_type"))) {
            return "unsupported_response_type";
        }
        String method = q.get("code_challenge_method");
        if (q.get("code_challenge") != null && method != null && !"S256".equals(method)) {
            return "invalid_request";
        }
        return null;
    }

    private void loginPage(HttpExchange exchange, Map<String, String> q, String message) throws IOException {
        String problem = badRequest(q);
        if (problem != null) {
            redirect(exchange, managedLogin.error(problem, q == null ? null : q.get("client_id")), null);
            return;
        }
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><title>Signin</title></head><body>"
                + "<h1>Sign in with your username and password</h1>");
        if (message != null) {
            html.append("<p id=\"loginErrorMessage\">").append(escape(message)).append("</p>");
        }
        html.append("<form method=\"post\" action=\"/login\">");
        for (Map.Entry<String, String> e : q.entrySet()) {
            html.append("<input type=\"hidden\" name=\"").append(escape(e.getKey())).append("\" value=\"")
                    .append(escape(e.getValue())).append("\">");
        }
        html.append("<input id=\"signInFormUsername\" name=\"username\" type=\"text\">"
                + "<input id=\"signInFormPassword\" name=\"password\" type=\"password\">"
                + "<input id=\"signInSubmitButton\" name=\"signInSubmitButton\" type=\"submit\" value=\"Sign in\">"
                + "</form></body></html>");
        ManagedLoginServer.send(exchange, 200, "text/html;charset=UTF-8", html.toString());
    }

    private void signIn(HttpExchange exchange, byte[] body) throws IOException {
        Map<String, String> form = safeQuery(new String(body, StandardCharsets.UTF_8));
        if (form == null) {
            redirect(exchange, managedLogin.error("invalid_request", null), null);
            return;
        }
        String username = form.remove("username");
        String password = form.remove("password");
        form.remove("signInSubmitButton");
        if (badRequest(form) != null) {
            loginPage(exchange, form, null);
            return;
        }
        if (!pool.passwordMatches(username, password)) {
            loginPage(exchange, form, "Incorrect username or password.");
            return;
        }
        formSignIns.incrementAndGet();
        String sessionId = random();
        Instant authTime = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        synchronized (this) {
            sessions.put(sessionId, new Session(username, authTime, clock.instant().plus(SESSION_VALIDITY)));
        }
        redirect(exchange, codeRedirect(form, username, authTime),
                CognitoStub.MANAGED_LOGIN_SESSION_COOKIE + "=" + sessionId + "; Path=/; HttpOnly");
    }

    private String codeRedirect(Map<String, String> q, String username, Instant authTime) {
        String code = random();
        synchronized (this) {
            codes.put(code, new Code(q.get("client_id"), q.get("redirect_uri"), username,
                    q.getOrDefault("scope", "openid"), q.get("nonce"), q.get("code_challenge"), authTime,
                    clock.instant().plus(CODE_VALIDITY)));
        }
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("code", code);
        if (q.get("state") != null) {
            answer.put("state", q.get("state"));
        }
        String redirectUri = q.get("redirect_uri");
        return redirectUri + (redirectUri.contains("?") ? "&" : "?") + ManagedLoginServer.encode(answer);
    }

    private synchronized Session session(String cookieHeader) {
        String id = sessionId(cookieHeader);
        Session session = id == null ? null : sessions.get(id);
        if (session == null || !clock.instant().isBefore(session.expires())) {
            return null;
        }
        return session;
    }

    private static String sessionId(String cookieHeader) {
        if (cookieHeader == null) {
            return null;
        }
        for (String part : cookieHeader.split(";")) {
            String cookie = part.trim();
            if (cookie.startsWith(CognitoStub.MANAGED_LOGIN_SESSION_COOKIE + "=")) {
                return cookie.substring(CognitoStub.MANAGED_LOGIN_SESSION_COOKIE.length() + 1);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- token and userInfo

    private void token(HttpExchange exchange, byte[] body) throws IOException {
        Map<String, String> form = safeQuery(new String(body, StandardCharsets.UTF_8));
        if (form == null) {
            oauthError(exchange, 400, "invalid_request");
            return;
        }
        String clientId = authenticatedClient(exchange.getRequestHeaders().getFirst("Authorization"), form);
        if (clientId == null) {
            oauthError(exchange, 400, "invalid_client");
            return;
        }
        String grant = form.get("grant_type");
        Map<String, Object> answer;
        try {
            if ("authorization_code".equals(grant)) {
                answer = exchangeCode(clientId, form);
            } else if ("refresh_token".equals(grant)) {
                answer = refresh(clientId, form.get("refresh_token"));
            } else {
                oauthError(exchange, 400, "unsupported_grant_type");
                return;
            }
        } catch (CognitoStubException e) {
            oauthError(exchange, 400, "invalid_grant");
            return;
        }
        if (answer == null) {
            oauthError(exchange, 400, "invalid_grant");
            return;
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        ManagedLoginServer.send(exchange, 200, "application/json;charset=UTF-8", JSONObjectUtils.toJSONString(answer));
    }

    /** The client of a token request: Basic, or {@code client_id} (+ {@code client_secret}) in the form. */
    private String authenticatedClient(String authorization, Map<String, String> form) {
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        }
        if (clientId == null || !pool.hasClient(clientId)) {
            return null;
        }
        String expected = pool.clientSecret(clientId);
        if (expected == null) {
            return secret == null || secret.isEmpty() ? clientId : null;
        }
        return secret != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8)) ? clientId : null;
    }

    private Map<String, Object> exchangeCode(String clientId, Map<String, String> form) {
        Code code;
        synchronized (this) {
            code = form.get("code") == null ? null : codes.remove(form.get("code")); // single use
        }
        if (code == null || !code.clientId().equals(clientId) || !clock.instant().isBefore(code.expires())
                || !code.redirectUri().equals(form.get("redirect_uri"))) {
            return null;
        }
        if (code.challenge() != null && !s256(form.get("code_verifier")).equals(code.challenge())) {
            return null;
        }
        StubTokens tokens = pool.oauthLogin(clientId, code.username(), code.scope(), code.nonce(), code.authTime());
        return tokenAnswer(tokens, true);
    }

    private Map<String, Object> refresh(String clientId, String refreshToken) {
        if (refreshToken == null) {
            return null;
        }
        boolean rotating = pool.isRotating(clientId);
        StubTokens tokens = rotating ? pool.rotate(clientId, refreshToken) : pool.refresh(clientId, refreshToken);
        return tokenAnswer(tokens, rotating);
    }

    private Map<String, Object> tokenAnswer(StubTokens tokens, boolean withRefreshToken) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id_token", tokens.idToken());
        answer.put("access_token", tokens.accessToken());
        if (withRefreshToken) {
            answer.put("refresh_token", tokens.refreshToken());
        }
        answer.put("expires_in", pool.accessTokenValidity().toSeconds());
        answer.put("token_type", "Bearer");
        return answer;
    }

    private void userInfo(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Map<String, Object> info = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? pool.userInfo(authorization.substring(7).trim()) : null;
        if (info == null) {
            exchange.getResponseHeaders().set("WWW-Authenticate",
                    "Bearer error=\"invalid_token\", error_description=\"Access token is expired, disabled, or deleted\"");
            oauthError(exchange, 401, "invalid_token");
            return;
        }
        ManagedLoginServer.send(exchange, 200, "application/json;charset=UTF-8", JSONObjectUtils.toJSONString(info));
    }

    // ---------------------------------------------------------------- helpers

    private static String s256(String verifier) {
        if (verifier == null) {
            return "";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64URL.encode(digest).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64URL.encode(bytes).toString();
    }

    /** Decoded parameters, or null for a malformed escape or a repeated name (the stub's choice). */
    private static Map<String, String> safeQuery(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        try {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (q.put(name, value) != null) {
                    return null;
                }
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return q;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void redirect(HttpExchange exchange, String location, String setCookie) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        if (setCookie != null) {
            exchange.getResponseHeaders().add("Set-Cookie", setCookie);
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(302, -1);
    }

    private static void methodNotAllowed(HttpExchange exchange, String allow) throws IOException {
        exchange.getResponseHeaders().set("Allow", allow);
        ManagedLoginServer.send(exchange, 405, "text/plain;charset=utf-8", "Method not allowed");
    }

    private static void oauthError(HttpExchange exchange, int status, String error) throws IOException {
        ManagedLoginServer.send(exchange, status, "application/json;charset=UTF-8", "{\"error\":\"" + error + "\"}");
    }
}
