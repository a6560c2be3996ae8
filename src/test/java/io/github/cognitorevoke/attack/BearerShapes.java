package io.github.cognitorevoke.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shapes in which a request can carry a bearer token that some application would read: the
 * catalogue of the "no way around the denylist" rule. Each shape puts one token (the one under
 * test) somewhere an application might take it from, often next to another, live token.
 *
 * @param name    what the shape is, for the test report
 * @param query   the query string to append (with its {@code ?}), or ""
 * @param headers the header lines, in order
 */
public record BearerShapes(String name, String query, List<Map.Entry<String, String>> headers) {

    /**
     * Every shape for a token.
     *
     * @param token      the token under test
     * @param other      another token (live) to place beside it
     * @param cookieName the configured {@code accessTokenCookie}, or null when none is configured
     * @return the shapes
     */
    public static List<BearerShapes> of(String token, String other, String cookieName) {
        List<BearerShapes> shapes = new ArrayList<>();
        String dot1 = token.substring(0, token.lastIndexOf('.') + 1);
        String signature = token.substring(token.lastIndexOf('.') + 1);
        shapes.add(shape("plain bearer", "Authorization", "Bearer " + token));
        shapes.add(shape("lower-case scheme", "Authorization", "bearer " + token));
        shapes.add(shape("upper-case scheme", "Authorization", "BEARER " + token));
        shapes.add(shape("no scheme", "Authorization", token));
        shapes.add(shape("another scheme", "Authorization", "Token " + token));
        shapes.add(shape("two spaces and a tab", "Authorization", "Bearer  \t" + token));
        shapes.add(shape("trailing word", "Authorization", "Bearer " + token + " trailing"));
        shapes.add(shape("trailing comma", "Authorization", "Bearer " + token + ", x"));
        shapes.add(shape("trailing semicolon", "Authorization", "Bearer " + token + ";x"));
        shapes.add(shape("second header after a live one", "Authorization", "Bearer " + other,
                "Authorization", "Bearer " + token));
        shapes.add(shape("first header before a live one", "Authorization", "Bearer " + token,
                "Authorization", "Bearer " + other));
        shapes.add(shape("two tokens in one header", "Authorization", "Bearer " + other + ", Bearer " + token));
        shapes.add(shape("signature padded past 16 KiB with ignorable characters", "Authorization",
                "Bearer " + dot1 + signature + "~".repeat(20_000)));
        shapes.add(shape("signature padded with base64url characters", "Authorization",
                "Bearer " + token + "A".repeat(20_000)));
        shapes.add(shape("extra dotted part", "Authorization", "Bearer " + token + ".extra"));
        shapes.add(shape("load balancer's access-token header", "X-Amzn-Oidc-Accesstoken", token));
        shapes.add(shape("load balancer's header in another casing, beside a live bearer header",
                "Authorization", "Bearer " + other, "x-amzn-oidc-accesstoken", token));
        shapes.add(new BearerShapes("access_token in the query", "?access_token=" + token, List.of()));
        shapes.add(new BearerShapes("percent-encoded access_token in the query",
                "?access%5Ftoken=" + token.replace(".", "%2E"), List.of()));
        if (cookieName != null) {
            shapes.add(shape("cookie", "Cookie", cookieName + "=" + token));
            shapes.add(shape("second cookie of the name after a live one", "Cookie",
                    cookieName + "=" + other + "; " + cookieName + "=" + token));
            shapes.add(shape("two Cookie headers", "Cookie", cookieName + "=" + other, "Cookie",
                    cookieName + "=" + token));
            shapes.add(shape("quoted cookie", "Cookie", cookieName + "=\"" + token + "\""));
            shapes.add(shape("percent-encoded cookie", "Cookie", cookieName + "=" + token.replace(".", "%2E")));
            shapes.add(shape("live header, revoked cookie", "Authorization", "Bearer " + other, "Cookie",
                    cookieName + "=" + token));
        }
        return shapes;
    }

    private static BearerShapes shape(String name, String... headerPairs) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.add(Map.entry(headerPairs[i], headerPairs[i + 1]));
        }
        return new BearerShapes(name, "", List.copyOf(headers));
    }

    /**
     * Whether the request's headers are larger than some servers take (Payara's Grizzly refuses
     * such a request itself with 400, before any filter): only such a shape may fail with a live token.
     *
     * @return true above 16 KiB of header values
     */
    public boolean oversized() {
        return headers.stream().mapToInt(h -> h.getValue().length()).sum() > 16 * 1024;
    }

    @Override
    public String toString() {
        return name;
    }
}
