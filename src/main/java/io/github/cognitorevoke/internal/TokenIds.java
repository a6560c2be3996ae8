package io.github.cognitorevoke.internal;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.function.Predicate;

/**
 * The claims the per-request denylist check needs, read from a compact JWT without verifying it.
 *
 * <p>This is the hot path of every request, so it decodes only the payload and scans the top level
 * of its JSON for four claims instead of building a full claims map: a full parse with Nimbus
 * ({@code SignedJWT.parse} plus {@code getJWTClaimsSet}) costs several times more. Whatever the
 * fast scanner cannot read with certainty (lenient JSON, numbers with fractions or exponents,
 * characters outside the base64url alphabet, broken escapes) goes to Nimbus itself, so the answer
 * is always the one a Nimbus-based verifier would see, and nothing here ever throws. Skipping the
 * signature is safe because the answer can only make a request fail: a forged token that slips
 * past this check still meets the application's own verification.
 *
 * @param jti       the token's {@code jti}, or null
 * @param originJti the token family's {@code origin_jti}, or null
 * @param sub       the subject, or null
 * @param iat       the issue time in epoch seconds, or {@link Long#MIN_VALUE} if absent
 */
public record TokenIds(String jti, String originJti, String sub, long iat) {

    /** What the fast scanner gives when it cannot be certain; the payload then goes to Nimbus. */
    private static final TokenIds UNSURE = new TokenIds(null, null, null, 0);
    /** Longest run of digits the fast path reads as {@code iat}; longer numbers go to Nimbus. */
    private static final int MAX_FAST_DIGITS = 15;

    /**
     * Reads the ids of a compact JWS, as Nimbus reads them: when {@code SignedJWT.parse(token)
     * .getJWTClaimsSet()} succeeds, the ids here are that claims set's. There is no length limit:
     * the work is linear in the token's length.
     *
     * @param token the compact serialization
     * @return the ids, or null when the text is not three dot-separated parts with a JSON object
     *         payload that Nimbus can read
     */
    public static TokenIds peek(String token) {
        if (token == null) {
            return null;
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0 || token.indexOf('.', second + 1) >= 0) {
            return null;
        }
        return payload(token, first + 1, second);
    }

    /**
     * Visits the ids of every JWS payload found in a text such as a header or cookie value,
     * whatever surrounds or pads the token: a payload is whatever stands between two consecutive
     * dots, read as Nimbus reads it (characters outside the base64url alphabet ignored). A verifier
     * checks the signature over the header and payload exactly as sent, so a revoked token that an
     * application accepts always shows its payload this way. Linear in the text's length.
     *
     * @param text the text to search
     * @param test what to ask of each payload's ids
     * @return true as soon as {@code test} accepts one payload's ids
     */
    public static boolean anyMatch(CharSequence text, Predicate<TokenIds> test) {
        int dot = indexOf(text, '.', 0);
        while (dot >= 0) {
            int next = indexOf(text, '.', dot + 1);
            if (next < 0) {
                return false;
            }
            // Fewer than 10 characters decode to at most 6 bytes: no JSON object holding an id fits.
            if (next - dot > 10) {
                TokenIds ids = payload(text, dot + 1, next);
                if (ids != null && test.test(ids)) {
                    return true;
                }
            }
            dot = next;
        }
        return false;
    }

    /**
     * Finds, in a text, the compact JWS whose payload has these ids: a run of base64url characters
     * with exactly two dots, the way a client sends a token it means to be verified. A token padded
     * or wrapped in other ways is not found (the rejection stands; only its owner is not named).
     *
     * @param text the text that held the payload
     * @param ids  the payload's ids
     * @return the compact JWS, or null
     */
    static String compactWith(CharSequence text, TokenIds ids) {
        int start = 0;
        int length = text.length();
        while (start < length) {
            int end = start;
            int dots = 0;
            for (char c; end < length && ((c = text.charAt(end)) == '.' || (c < 128 && BASE64URL[c] >= 0)); end++) {
                dots += c == '.' ? 1 : 0;
            }
            if (dots == 2) {
                String candidate = text.subSequence(start, end).toString();
                if (ids.equals(peek(candidate))) {
                    return candidate;
                }
            }
            start = end + 1;
        }
        return null;
    }

    private static int indexOf(CharSequence text, char c, int from) {
        if (text instanceof String s) {
            return s.indexOf(c, from);
        }
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** The ids of the payload segment {@code text[start, end)}, or null. Never throws. */
    static TokenIds payload(CharSequence text, int start, int end) {
        byte[] json = decode(text, start, end);
        TokenIds fast = json == null ? UNSURE : new Scanner(json).object();
        // Characters outside the alphabet, or a length no encoder writes: Nimbus reads it as sent.
        return fast != UNSURE ? fast : nimbus(text.subSequence(start, end).toString());
    }

    private static final byte[] BASE64URL = new byte[128];

    static {
        java.util.Arrays.fill(BASE64URL, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64URL[alphabet.charAt(i)] = (byte) i;
        }
    }

    /**
     * Decodes unpadded base64url straight from the text (no copy of the segment, no copy to bytes
     * first: this runs on every request); null if a character is outside the alphabet or the
     * length is one no encoder writes. Unused trailing bits are ignored, as Nimbus ignores them.
     */
    static byte[] decode(CharSequence text, int start, int end) {
        int n = end - start;
        if (n % 4 == 1) {
            return null;
        }
        byte[] out = new byte[n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1)];
        int o = 0;
        int i = start;
        for (int full = start + n / 4 * 4; i < full; i += 4) {
            int bits = sextet(text.charAt(i)) << 18 | sextet(text.charAt(i + 1)) << 12
                    | sextet(text.charAt(i + 2)) << 6 | sextet(text.charAt(i + 3));
            if (bits < 0) {
                return null;
            }
            out[o++] = (byte) (bits >> 16);
            out[o++] = (byte) (bits >> 8);
            out[o++] = (byte) bits;
        }
        if (i < end) {
            int bits = sextet(text.charAt(i)) << 18 | sextet(text.charAt(i + 1)) << 12
                    | (i + 2 < end ? sextet(text.charAt(i + 2)) << 6 : 0);
            if (bits < 0) {
                return null;
            }
            out[o++] = (byte) (bits >> 16);
            if (i + 2 < end) {
                out[o] = (byte) (bits >> 8);
            }
        }
        return out;
    }

    /** The 6-bit value of a base64url character, or -1, which makes any group it is shifted into negative. */
    private static int sextet(char c) {
        return c < 128 ? BASE64URL[c] : -1;
    }

    /** The rare path: the payload as Nimbus parses it (lenient JSON, numbers of any form). */
    private static TokenIds nimbus(String segment) {
        try {
            JWTClaimsSet claims = JWTClaimsSet.parse(new Base64URL(segment).decodeToString());
            String originJti;
            try {
                originJti = claims.getStringClaim("origin_jti");
            } catch (java.text.ParseException notAString) {
                originJti = null;
            }
            Date iat = claims.getIssueTime();
            return new TokenIds(claims.getJWTID(), originJti, claims.getSubject(),
                    iat == null ? Long.MIN_VALUE : Math.floorDiv(iat.getTime(), 1000));
        } catch (java.text.ParseException | RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    /**
     * A strict scanner for the top level of one JSON object; anything malformed gives null. Only
     * the values it returns become strings: keys are compared and other values skipped in place.
     */
    private static final class Scanner {
        private static final int OTHER = 0;
        private static final int JTI = 1;
        private static final int ORIGIN_JTI = 2;
        private static final int SUB = 3;
        private static final int IAT = 4;

        private final byte[] b;
        /** The same bytes as Latin-1 text, for the vectorized {@code indexOf}. */
        private final String text;
        /** The next backslash at or after {@code i}, if {@code >= i}; MAX_VALUE when there is none. */
        private int backslash = -1;
        private int i;

        Scanner(byte[] b) {
            this.b = b;
            this.text = new String(b, StandardCharsets.ISO_8859_1);
        }

        TokenIds object() {
            String jti = null;
            String originJti = null;
            String sub = null;
            long iat = Long.MIN_VALUE;
            boolean seenIat = false;
            try {
                ws();
                expect('{');
                ws();
                if (peekByte() == '}') {
                    i++;
                    return trailing() ? new TokenIds(null, null, null, iat) : null;
                }
                while (true) {
                    ws();
                    int key = key();
                    ws();
                    expect(':');
                    ws();
                    switch (key) {
                        case JTI -> {
                            if (jti != null) return UNSURE;
                            jti = string();
                        }
                        case ORIGIN_JTI -> {
                            if (originJti != null) return UNSURE;
                            originJti = string();
                        }
                        case SUB -> {
                            if (sub != null) return UNSURE;
                            sub = string();
                        }
                        case IAT -> {
                            if (seenIat) return UNSURE;
                            seenIat = true;
                            iat = integer();
                        }
                        default -> skipValue(0);
                    }
                    ws();
                    byte c = b[i++];
                    if (c == '}') {
                        return trailing() ? new TokenIds(jti, originJti, sub, iat) : null;
                    }
                    if (c != ',') {
                        return UNSURE;
                    }
                }
            } catch (RuntimeException e) {
                // Anything this strict scanner cannot read with certainty goes to Nimbus.
                return UNSURE;
            }
        }

        private boolean trailing() {
            ws();
            return i == b.length;
        }

        private byte peekByte() {
            return b[i];
        }

        private void ws() {
            while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
                i++;
            }
        }

        private void expect(char c) {
            if (b[i++] != c) {
                throw new IllegalStateException();
            }
        }

        private String string() {
            expect('"');
            int start = i;
            int end = plainStringEnd();
            if (end < 0) {
                return escapedString();
            }
            i = end + 1;
            for (int k = start; k < end; k++) {
                if ((b[k] & 0xff) < 0x20) {
                    throw new IllegalStateException();
                }
            }
            return new String(b, start, end - start, StandardCharsets.UTF_8);
        }

        /** Reads a key: which of the four claims it names, if any. */
        private int key() {
            expect('"');
            int start = i;
            int end = plainStringEnd();
            if (end < 0) {
                return switch (escapedString()) {
                    case "jti" -> JTI;
                    case "origin_jti" -> ORIGIN_JTI;
                    case "sub" -> SUB;
                    case "iat" -> IAT;
                    default -> OTHER;
                };
            }
            i = end + 1;
            int length = end - start;
            if (length == 3) {
                return is(start, "jti") ? JTI : is(start, "sub") ? SUB : is(start, "iat") ? IAT : OTHER;
            }
            return length == 10 && is(start, "origin_jti") ? ORIGIN_JTI : OTHER;
        }

        private boolean is(int start, String ascii) {
            for (int k = 0; k < ascii.length(); k++) {
                if (b[start + k] != ascii.charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        /** Skips a string value or a nested key, checked exactly as {@link #string()} checks it. */
        private void skipString() {
            expect('"');
            int end = plainStringEnd();
            if (end < 0) {
                escapedString();
            } else {
                i = end + 1;
            }
        }

        /**
         * Finds the closing quote of a string that starts at {@code i} and has no escapes, leaving
         * {@code i} alone; -1 if a backslash comes first. The index is a local, not the field:
         * this loop covers most of the payload.
         */
        private int plainStringEnd() {
            // String.indexOf over the Latin-1 view is vectorized; a byte loop over the payload is not.
            int quote = text.indexOf('"', i);
            if (quote < 0) {
                throw new IllegalStateException();
            }
            if (backslash < i) {
                backslash = text.indexOf('\\', i);
                if (backslash < 0) {
                    backslash = Integer.MAX_VALUE;
                }
            }
            return backslash < quote ? -1 : quote;
        }

        // The rare path: a string with escapes, decoded exactly as a JSON parser would.
        private String escapedString() {
            StringBuilder out = new StringBuilder();
            int runStart = i;
            while (true) {
                byte c = b[i];
                if (c == '"') {
                    out.append(new String(b, runStart, i - runStart, StandardCharsets.UTF_8));
                    i++;
                    return out.toString();
                }
                if ((c & 0xff) < 0x20) {
                    throw new IllegalStateException();
                }
                if (c != '\\') {
                    i++;
                    continue;
                }
                out.append(new String(b, runStart, i - runStart, StandardCharsets.UTF_8));
                byte e = b[i + 1];
                i += 2;
                switch (e) {
                    case '"' -> out.append('"');
                    case '\\' -> out.append('\\');
                    case '/' -> out.append('/');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(new String(b, i, 4, StandardCharsets.US_ASCII), 16));
                        i += 4;
                    }
                    default -> throw new IllegalStateException();
                }
                runStart = i;
            }
        }

        /** A plain JSON integer of at most 15 digits; fractions, exponents and the rest go to Nimbus. */
        private long integer() {
            boolean negative = b[i] == '-';
            if (negative) {
                i++;
            }
            int start = i;
            long value = 0;
            while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                value = value * 10 + (b[i++] - '0');
            }
            int digits = i - start;
            if (digits == 0 || digits > MAX_FAST_DIGITS || (digits > 1 && b[start] == '0')
                    || (i < b.length && (b[i] == '.' || b[i] == 'e' || b[i] == 'E'))) {
                throw new IllegalStateException();
            }
            return negative ? -value : value;
        }

        private void skipNumberTail() {
            while (i < b.length && (b[i] == '.' || b[i] == 'e' || b[i] == 'E' || b[i] == '+' || b[i] == '-'
                    || (b[i] >= '0' && b[i] <= '9'))) {
                i++;
            }
        }

        private void skipValue(int depth) {
            if (depth > 64) {
                throw new IllegalStateException();
            }
            byte c = b[i];
            switch (c) {
                case '"' -> skipString();
                case '{', '[' -> {
                    byte close = c == '{' ? (byte) '}' : (byte) ']';
                    i++;
                    ws();
                    if (b[i] == close) {
                        i++;
                        return;
                    }
                    while (true) {
                        ws();
                        if (c == '{') {
                            skipString();
                            ws();
                            expect(':');
                            ws();
                        }
                        skipValue(depth + 1);
                        ws();
                        byte n = b[i++];
                        if (n == close) {
                            return;
                        }
                        if (n != ',') {
                            throw new IllegalStateException();
                        }
                    }
                }
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> {
                    if (c != '-' && (c < '0' || c > '9')) {
                        throw new IllegalStateException();
                    }
                    i++;
                    skipNumberTail();
                }
            }
        }

        private void literal(String word) {
            for (int k = 0; k < word.length(); k++) {
                if (b[i++] != word.charAt(k)) {
                    throw new IllegalStateException();
                }
            }
        }
    }
}
