package io.github.cognitorevoke.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The managed-login (Hosted UI) side of {@link CognitoStub}, path-based HTTP next to the AWS JSON
 * API: {@code GET /logout} with Cognito's own rules and {@code GET /error}, the page it sends a bad
 * request to. The rules, and what is assumed about them, are listed on {@link CognitoStub}.
 * Thread-safe: state is guarded by {@code this}.
 */
final class ManagedLoginServer {

    /** The paths served here; every other path is the API's. */
    static final Set<String> PATHS = Set.of("/logout", "/error");

    private final UserPool pool;
    private final URI domain;
    private final Map<String, List<String>> logoutUrls = new HashMap<>();
    private final Map<String, List<String>> callbackUrls = new HashMap<>();
    private final List<ManagedLogoutCall> calls = new ArrayList<>();
    private volatile OAuthServer oauth;

    ManagedLoginServer(UserPool pool, URI domain) {
        this.pool = pool;
        this.domain = domain;
    }

    /** The sign-in side, whose managed-login session a logout ends; set once, before serving. */
    void setOAuth(OAuthServer oauth) {
        this.oauth = oauth;
    }

    synchronized void setLogoutUrls(String clientId, List<String> urls) {
        logoutUrls.put(knownClient(clientId), List.copyOf(urls));
    }

    synchronized void setCallbackUrls(String clientId, List<String> urls) {
        callbackUrls.put(knownClient(clientId), List.copyOf(urls));
    }

    synchronized List<String> logoutUrls(String clientId) {
        return logoutUrls.getOrDefault(clientId, List.of());
    }

    synchronized List<String> callbackUrls(String clientId) {
        return callbackUrls.getOrDefault(clientId, List.of());
    }

    synchronized List<ManagedLogoutCall> calls() {
        return List.copyOf(calls);
    }

    private String knownClient(String clientId) {
        if (!pool.hasClient(clientId)) {
            throw new IllegalArgumentException("unknown client " + clientId + "; call addClient first");
        }
        return clientId;
    }

    void serve(HttpExchange exchange, String method, String path) throws IOException {
        if ("/error".equals(path) && "GET".equals(method)) {
            serveError(exchange);
        } else if (!"GET".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "GET");
            send(exchange, 405, "text/plain;charset=utf-8", "Method not allowed");
        } else {
            Answer answer = logout(exchange.getRequestURI().getRawQuery());
            exchange.getResponseHeaders().set("Location", answer.location());
            if (answer.sessionEnded()) {
                if (oauth != null) {
                    oauth.endSession(exchange.getRequestHeaders().getFirst("Cookie"));
                }
                exchange.getResponseHeaders().add("Set-Cookie", CognitoStub.MANAGED_LOGIN_SESSION_COOKIE
                        + "=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly");
            }
            send(exchange, 302, "text/plain;charset=utf-8", "");
        }
    }

    private record Answer(String location, boolean sessionEnded) {
    }

    /** Answers a {@code GET /logout} and records it. */
    private synchronized Answer logout(String rawQuery) {
        Map<String, String> q;
        Answer answer;
        try {
            q = query(rawQuery);
            answer = decide(q);
        } catch (IllegalArgumentException malformed) {
            q = Map.of();
            answer = new Answer(error("invalid_request", null), false);
        }
        calls.add(new ManagedLogoutCall(q.get("client_id"), q.get("logout_uri"), q.get("redirect_uri"),
                answer.location(), answer.sessionEnded()));
        return answer;
    }

    /** Cognito's rules for {@code GET /logout}, in this order. */
    private Answer decide(Map<String, String> q) {
        String clientId = q.get("client_id");
        String logoutUri = q.get("logout_uri");
        String redirectUri = q.get("redirect_uri");
        if (clientId == null || clientId.isEmpty() || (logoutUri == null && redirectUri == null)) {
            return new Answer(error("Required parameters missing", clientId), false);
        }
        if (!pool.hasClient(clientId)) {
            return new Answer(error("invalid_client", clientId), false);
        }
        if (logoutUri != null) {
            return logoutUrls.getOrDefault(clientId, List.of()).contains(logoutUri)
                    ? new Answer(logoutUri, true) : new Answer(error("redirect_mismatch", clientId), false);
        }
        if (q.get("response_type") == null) {
            return new Answer(error("Required parameters missing", clientId), false);
        }
        if (!callbackUrls.getOrDefault(clientId, List.of()).contains(redirectUri)) {
            return new Answer(error("redirect_mismatch", clientId), false);
        }
        Map<String, String> login = new LinkedHashMap<>();
        for (String name : List.of("client_id", "redirect_uri", "response_type", "scope", "state")) {
            if (q.get(name) != null) {
                login.put(name, q.get(name));
            }
        }
        return new Answer(domain + "/login?" + encode(login), true);
    }

    String error(String error, String clientId) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("error", error);
        if (clientId != null && !clientId.isEmpty()) {
            q.put("client_id", clientId);
        }
        return domain + "/error?" + encode(q);
    }

    private static void serveError(HttpExchange exchange) throws IOException {
        String error;
        try {
            error = query(exchange.getRequestURI().getRawQuery()).getOrDefault("error", "");
        } catch (IllegalArgumentException e) {
            error = "invalid_request";
        }
        String safe = error.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        send(exchange, 400, "text/html;charset=utf-8", "<!DOCTYPE html><title>Error</title>"
                + "<h1>An error was encountered with the requested page.</h1><p id=\"error\">" + safe + "</p>");
    }

    /** Decoded parameters; a malformed escape or a repeated name throws (the stub's choice). */
    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (q.put(name, value) != null) {
                throw new IllegalArgumentException("repeated parameter");
            }
        }
        return q;
    }

    static String encode(Map<String, String> q) {
        StringBuilder out = new StringBuilder();
        q.forEach((k, v) -> out.append(out.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
