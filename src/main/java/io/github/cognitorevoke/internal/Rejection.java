package io.github.cognitorevoke.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Why the filter refuses a request, and the one table from that reason to HTTP: status, OAuth
 * {@code error} and the header that goes with it. The body is always RFC 6749 / 7009 style JSON,
 * {@code {"error":"...","error_description":"..."}}.
 */
public enum Rejection {
    /** Logout takes POST only. */
    METHOD_NOT_ALLOWED(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "invalid_request", "Allow", d -> "POST"),
    /** A logout without a bearer header that a browser sent from another site. */
    CROSS_SITE(HttpServletResponse.SC_FORBIDDEN, "access_denied", null, null),
    /** A logout body the resolver does not read. */
    UNSUPPORTED_MEDIA_TYPE(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "invalid_request", "Accept-Post",
            d -> DefaultTokenResolver.FORM),
    /** The request is malformed or ambiguous, or Cognito found the token malformed. */
    INVALID_REQUEST(HttpServletResponse.SC_BAD_REQUEST, "invalid_request", null, null),
    /** Cognito: not a refresh token. */
    UNSUPPORTED_TOKEN_TYPE(HttpServletResponse.SC_BAD_REQUEST, "unsupported_token_type", null, null),
    /** Cognito did not accept the refresh token. */
    INVALID_GRANT(HttpServletResponse.SC_BAD_REQUEST, "invalid_grant", null, null),
    /** The access token failed verification or is revoked (RFC 6750 section 3). */
    INVALID_TOKEN(HttpServletResponse.SC_UNAUTHORIZED, "invalid_token", "WWW-Authenticate",
            d -> "Bearer error=\"invalid_token\", error_description=\"" + d + "\""),
    /** A dependency cannot be reached or a cap is reached: not the client's fault, try later. */
    UNAVAILABLE(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "temporarily_unavailable", "Retry-After", d -> "30"),
    /** Cognito refuses because of the app client's setup. */
    BAD_GATEWAY(HttpServletResponse.SC_BAD_GATEWAY, "server_error", null, null);

    private final int status;
    private final String error;
    private final String header;
    private final UnaryOperator<String> headerValue;

    Rejection(int status, String error, String header, UnaryOperator<String> headerValue) {
        this.status = status;
        this.error = error;
        this.header = header;
        this.headerValue = headerValue;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the OAuth {@code error} code */
    public String error() {
        return error;
    }

    /** @return the name of the header this answer carries, or null */
    public String header() {
        return header;
    }

    /**
     * @param description the {@code error_description}
     * @return the value of {@link #header()} for that description, or null
     */
    public String headerValue(String description) {
        return headerValue == null ? null : headerValue.apply(description);
    }

    /**
     * Writes the answer: its header, status and JSON body.
     *
     * @param response    the response, not yet committed
     * @param description the {@code error_description}, safe to show to the client
     * @throws IOException if the body cannot be written
     */
    public void write(HttpServletResponse response, String description) throws IOException {
        if (header != null) {
            response.setHeader(header, headerValue(description));
        }
        json(response, status, "{\"error\":\"" + error + "\",\"error_description\":\"" + jsonEscape(description) + "\"}");
    }

    /**
     * Writes a JSON answer that is never cached.
     *
     * @param response the response, not yet committed
     * @param status   the HTTP status
     * @param body     the JSON text
     * @throws IOException if the body cannot be written
     */
    public static void json(HttpServletResponse response, int status, String body) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
