package io.github.cognitorevoke.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Builds JWS-shaped text from fuzz data: header and payload JSON of every shape a parser must cope
 * with (escapes, truncated {@code \\u} escapes, fractions and exponents, duplicates, deep nesting,
 * non-ASCII, control characters), base64url-encoded with or without junk inside and around the
 * segments. Structured inputs reach the JSON scanner; raw fuzz strings rarely get past base64.
 */
final class FuzzTokens {

    /** Characters that Nimbus's lenient base64 decoder skips, and some it does not. */
    private static final String JUNK = " \t\r\n!*~%=+/.,;\"'\\\u00e9\u00a0\u0000\u2028{}-_";
    private static final String[] KEYS = {
        "jti", "origin_jti", "sub", "iat", "exp", "iss", "token_use", "client_id", "username",
        "j\\u0074i", "\\u0073ub", "origin\\u005fjti", "i\\u0061t", "JTI", "jti ", "cognito:groups", "",
    };
    private static final String[] STRING_PIECES = {
        "a", "0", "-", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0041", "\\u00e9",
        "\\ud83d\\ude00", "\\ud83d", "\\u", "\\u1", "\\u12", "\\u123", "\\uZZZZ", "\\x", "\\", "\u00e9",
        "\ud83d\ude00", "\u0001", "\u001f", "\u007f", "jti", "\":\"", ",", "}", "\u2028",
    };
    private static final String[] NUMBERS = {
        "0", "-0", "1", "-1", "1700000000", "1700000000.5", "-1.5", "1e9", "1E9", "1e+9", "1e-9", "1.5e3",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999",
        "999999999999999999", "9223372036854775", "9223372036854776", "1e400", "01", "1.", ".5", "+1", "-",
        "1e", "0x10", "NaN", "Infinity", "1_000",
    };

    private FuzzTokens() {
    }

    /** A token of any shape, from well-formed to mangled. */
    static String token(FuzzedDataProvider data) {
        String header = data.consumeBoolean() ? "{\"alg\":\"RS256\",\"kid\":\"k1\"}" : json(data, 3);
        String payload = json(data, 0);
        StringBuilder token = new StringBuilder();
        token.append(junk(data, 2));
        token.append(segment(data, header.getBytes(StandardCharsets.UTF_8)));
        token.append('.');
        token.append(segment(data, payloadBytes(data, payload)));
        token.append('.');
        token.append(segment(data, data.consumeBytes(data.consumeInt(0, 80))));
        token.append(junk(data, 2));
        return token.toString();
    }

    /** A well-formed token with ids, as Cognito would issue it (unsigned: the peek does not verify). */
    static String genuine(FuzzedDataProvider data) {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        String payload = "{\"sub\":\"" + id(data) + "\",\"token_use\":\"access\",\"iat\":"
                + data.consumeLong(0, 4_000_000_000L) + ",\"origin_jti\":\"" + id(data) + "\",\"jti\":\""
                + id(data) + "\",\"username\":\"" + id(data) + "\"}";
        return e.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(data.consumeBytes(data.consumeInt(1, 64)));
    }

    /** Text that may surround a token in a header or cookie: anything but the characters of a JWS. */
    static String junk(FuzzedDataProvider data, int max) {
        StringBuilder s = new StringBuilder();
        int n = data.consumeInt(0, max);
        for (int k = 0; k < n; k++) {
            s.append(data.consumeBoolean() ? JUNK.charAt(data.consumeInt(0, JUNK.length() - 1))
                    : data.consumeChar());
        }
        return s.toString();
    }

    private static String id(FuzzedDataProvider data) {
        String s = data.consumeAsciiString(12).replaceAll("[^A-Za-z0-9-]", "");
        return s.isEmpty() ? "x" : s;
    }

    private static byte[] payloadBytes(FuzzedDataProvider data, String json) {
        return switch (data.consumeInt(0, 7)) {
            case 0 -> json.getBytes(StandardCharsets.ISO_8859_1); // non-ASCII as invalid UTF-8
            case 1 -> data.consumeBytes(data.consumeInt(0, 64)); // anything at all
            default -> json.getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Base64url of the bytes: plain, padded, standard alphabet, or with junk inserted. */
    private static String segment(FuzzedDataProvider data, byte[] bytes) {
        String s = switch (data.consumeInt(0, 5)) {
            case 0 -> Base64.getUrlEncoder().encodeToString(bytes);
            case 1 -> Base64.getEncoder().withoutPadding().encodeToString(bytes);
            default -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        };
        int inserts = data.consumeInt(0, 3);
        StringBuilder b = new StringBuilder(s);
        for (int k = 0; k < inserts; k++) {
            int at = data.consumeInt(0, b.length());
            String junk = junk(data, 3);
            if (data.consumeInt(0, 15) == 0) {
                // Past the 16 KiB that a token may be, with characters a lenient parser skips.
                junk = junk.repeat(data.consumeInt(0, 9000));
            }
            b.insert(at, junk);
        }
        return b.toString();
    }

    /** A JSON object, well-formed or nearly so; depth limits nesting. */
    static String json(FuzzedDataProvider data, int depth) {
        StringBuilder s = new StringBuilder();
        s.append(ws(data)).append('{');
        int members = data.consumeInt(0, 6);
        for (int k = 0; k < members; k++) {
            if (k > 0) {
                s.append(',');
            }
            s.append(ws(data)).append('"').append(key(data)).append('"').append(ws(data)).append(':').append(ws(data));
            value(data, s, depth);
            s.append(ws(data));
        }
        s.append('}').append(ws(data));
        switch (data.consumeInt(0, 15)) {
            case 0 -> s.setLength(data.consumeInt(0, s.length())); // truncated
            case 1 -> s.append(data.consumeString(4)); // trailing text
            case 2 -> s.insert(data.consumeInt(0, s.length()), data.consumeString(3)); // anything, anywhere
            default -> {
            }
        }
        return s.toString();
    }

    private static String key(FuzzedDataProvider data) {
        return data.consumeInt(0, 4) == 0 ? string(data) : KEYS[data.consumeInt(0, KEYS.length - 1)];
    }

    private static void value(FuzzedDataProvider data, StringBuilder s, int depth) {
        switch (data.consumeInt(0, 7)) {
            case 0, 1 -> s.append('"').append(string(data)).append('"');
            case 2, 3 -> s.append(NUMBERS[data.consumeInt(0, NUMBERS.length - 1)]);
            case 4 -> s.append(data.consumeLong());
            case 5 -> s.append(switch (data.consumeInt(0, 3)) {
                case 0 -> "true";
                case 1 -> "false";
                case 2 -> "null";
                default -> "nul";
            });
            case 6 -> {
                if (depth < 8) {
                    s.append(json(data, depth + 1));
                } else {
                    s.append("{}");
                }
            }
            default -> {
                // Deep nesting: around the limits of the scanner (64) and of Gson (255).
                int levels = data.consumeInt(0, 300);
                boolean arrays = data.consumeBoolean();
                s.append((arrays ? "[" : "{\"a\":").repeat(levels)).append('1').append((arrays ? "]" : "}").repeat(levels));
            }
        }
    }

    private static String string(FuzzedDataProvider data) {
        StringBuilder s = new StringBuilder();
        int pieces = data.consumeInt(0, 6);
        for (int k = 0; k < pieces; k++) {
            if (data.consumeBoolean()) {
                s.append(STRING_PIECES[data.consumeInt(0, STRING_PIECES.length - 1)]);
            } else {
                s.append(data.consumeString(4));
            }
        }
        return s.toString();
    }

    private static String ws(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 11)) {
            case 0 -> " ";
            case 1 -> "\n\t\r ";
            case 2 -> "\f"; // not JSON whitespace
            case 3 -> "\u00a0"; // nor this
            default -> "";
        };
    }
}
