package io.github.cognitorevoke.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.function.Predicate;

/**
 * The claims the per-request denylist check needs, read from a compact JWT without verifying it.
 *
 * <p>This is the hot path of every request, so it decodes only the payload and scans the top level
 * of its JSON for five claims instead of building a full claims map. The scanner reads JSON as
 * strictly as Nimbus does (Nimbus's JSON reader refuses comments, unquoted names, trailing commas,
 * control characters in strings and duplicate names), so a payload the scanner finds malformed is
 * one Nimbus refuses too, and the answer costs no exception. Only what the scanner leaves to Nimbus
 * on purpose goes there: a payload that opens with {@code [} (Nimbus reads an array of name/value
 * pairs as an object), an {@code iat} or {@code auth_time} that is not a plain integer, a claim of the five with a value
 * of an unexpected type, nesting deeper than 64 levels. No issued token has any of
 * these, and the searches that read untrusted text bound how often it happens ({@link ReadBudget}).
 * Skipping the signature is safe because the answer can only make a request fail: a forged token
 * that slips past this check still meets the application's own verification.
 *
 * <p>A payload laid out as the last one the thread scanned (tokens of one user pool and app client
 * differ only inside their values) is read from that layout instead ({@link PayloadLayout}): the
 * same answer, from a comparison of bytes.
 *
 * <p>Each id also carries its denylist key ({@link CaffeineDenylist#hash}), computed once: from the
 * decoded bytes while the scanner reads them (an id of ASCII characters, which every issued id is),
 * from the string otherwise. A text the engine keeps ({@link PeekCache}) then costs no hashing when
 * it comes again.
 *
 * @param jti          the token's {@code jti}, or null
 * @param originJti    the token family's {@code origin_jti}, or null
 * @param sub          the subject, or null
 * @param iat          the issue time in epoch seconds, or {@link Long#MIN_VALUE} if absent
 * @param authTime     the sign-in time ({@code auth_time}) in epoch seconds, or {@link Long#MIN_VALUE} if
 *                     absent: every token of one sign-in carries the same, whatever rotations happened
 * @param jtiKey       {@code CaffeineDenylist.hash(jti)}, 0 if it is null
 * @param originJtiKey {@code CaffeineDenylist.hash(originJti)}, 0 if it is null
 * @param subKey       {@code CaffeineDenylist.hash(sub)}, 0 if it is null
 */
public record TokenIds(String jti, String originJti, String sub, long iat, long authTime, long jtiKey,
                       long originJtiKey, long subKey) {

    /**
     * The ids of one payload, with their keys computed from them.
     *
     * @param jti       the token's {@code jti}, or null
     * @param originJti the token family's {@code origin_jti}, or null
     * @param sub       the subject, or null
     * @param iat       the issue time in epoch seconds, or {@link Long#MIN_VALUE} if absent
     * @param authTime  the sign-in time in epoch seconds, or {@link Long#MIN_VALUE} if absent
     */
    public TokenIds(String jti, String originJti, String sub, long iat, long authTime) {
        this(jti, originJti, sub, iat, authTime, key(jti), key(originJti), key(sub));
    }

    /**
     * The ids of a payload without {@code auth_time}, with their keys computed from them.
     *
     * @param jti       the token's {@code jti}, or null
     * @param originJti the token family's {@code origin_jti}, or null
     * @param sub       the subject, or null
     * @param iat       the issue time in epoch seconds, or {@link Long#MIN_VALUE} if absent
     */
    public TokenIds(String jti, String originJti, String sub, long iat) {
        this(jti, originJti, sub, iat, Long.MIN_VALUE);
    }

    private static long key(String id) {
        return id == null ? 0 : CaffeineDenylist.hash(id);
    }

    /** The claims without the keys, which follow from them. */
    @Override
    public String toString() {
        return "TokenIds[jti=" + jti + ", originJti=" + originJti + ", sub=" + sub + ", iat=" + iat
                + ", authTime=" + authTime + "]";
    }

    /** What the scanner gives when Nimbus must decide. */
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
        return payload(token, first + 1, second, ReadBudget.unlimited(), Buffers.ofThisThread());
    }

    /**
     * Visits the ids of every JWS payload found in a text, with no bound on the payloads left to
     * Nimbus: for text the application itself produced. See
     * {@link #anyMatch(CharSequence, Predicate, ReadBudget)}.
     *
     * @param text the text to search
     * @param test what to ask of each payload's ids
     * @return true as soon as {@code test} accepts one payload's ids
     */
    public static boolean anyMatch(CharSequence text, Predicate<TokenIds> test) {
        return anyMatch(text, test, ReadBudget.unlimited());
    }

    /**
     * Visits the ids of every JWS payload found in a text such as a header or cookie value,
     * whatever surrounds or pads the token: a payload is whatever stands between two consecutive
     * dots, read as Nimbus reads it (characters outside the base64url alphabet ignored). A verifier
     * checks the signature over the header and payload exactly as sent, so a revoked token that an
     * application accepts always shows its payload this way. Linear in the text's length; a payload
     * that only Nimbus can read takes one of the budget's reads, and one the budget refuses is
     * marked on it (the caller must then refuse the request) and skipped.
     *
     * @param text   the text to search
     * @param test   what to ask of each payload's ids
     * @param budget the reads by Nimbus still allowed
     * @return true as soon as {@code test} accepts one payload's ids
     */
    public static boolean anyMatch(CharSequence text, Predicate<TokenIds> test, ReadBudget budget) {
        // A percent-decoded text is read only where decoding changed it: the rest was read as sent.
        PercentDecoded.Changes decoded = text instanceof PercentDecoded d ? d.changes() : null;
        String scan = text.toString();
        int dot = scan.indexOf('.');
        if (dot < 0) {
            return false;
        }
        Buffers buffers = Buffers.ofThisThread();
        while (dot >= 0) {
            int next = scan.indexOf('.', dot + 1);
            if (next < 0) {
                return false;
            }
            // The shortest payload with an id, {"sub":1} (Nimbus reads a number as the subject "1"),
            // takes 12 characters; shorter segments hold none (ids are never empty: logouts and cut-offs
            // refuse blank ones).
            if (next - dot > 12 && (decoded == null || decoded.within(dot, next))) {
                TokenIds ids = payload(scan, dot + 1, next, budget, buffers);
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
     * @param text   the text that held the payload
     * @param ids    the payload's ids
     * @param budget the slow reads the request may still use (the runs are read again here)
     * @return the compact JWS, or null
     */
    static String compactWith(CharSequence text, TokenIds ids, ReadBudget budget) {
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
                int first = candidate.indexOf('.');
                int second = candidate.indexOf('.', first + 1);
                if (ids.equals(payload(candidate, first + 1, second, budget, Buffers.ofThisThread()))) {
                    return candidate;
                }
            }
            start = end + 1;
        }
        return null;
    }

    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();
    /** Shorter segments decode straight from the text's characters: the JDK's decoder shows its speed only on longer input. */
    private static final int FAST_DECODE_MIN = 128;

    /**
     * One thread's buffers for reading segments, so that reading a token of up to
     * {@link #PADDED_MAX} characters allocates nothing: the segment's characters, the same as Latin-1
     * bytes (the decoder reads bytes) with the encoder that writes them, and room for the decoded
     * payload. The JDK's decoder reads a whole array, so a segment is copied into an array of the next
     * multiple of {@link #PADDED_STEP} characters, the rest filled with {@code A} (zero bits, decoded
     * after the payload's last byte and ignored); a thread keeps {@value #PADDED_SLOTS} such arrays, one
     * per length in turn, which the payloads of one user pool (within a few hundred characters of each
     * other) share. Each buffer grows to the longest segment the thread has read, up to {@link #KEPT}
     * characters (about 22 KB in all, with the {@link PayloadLayout}'s 2.3 KB); a longer segment,
     * which no issued token has, gets buffers of its own that are dropped after it (and the JDK
     * decoder's own output), so no input makes a thread keep more. Only JDK types are held per thread
     * (an {@code Object[]}), so an application that is undeployed leaves no class loader behind on the
     * container's threads. Not reentrant, and need not be: a segment is read to its ids before the
     * caller sees them.
     */
    private static final class Buffers {
        /** Longest segment (in characters) whose buffers a thread keeps: Cognito's payloads are about 1 KB. */
        static final int KEPT = 4096;
        /** Longest segment decoded from a padded copy into the thread's own buffer. */
        static final int PADDED_MAX = 2048;
        /** The padded copies' lengths are multiples of this. */
        static final int PADDED_STEP = 128;
        /** Padded copies a thread keeps: one for each of this many lengths in turn. */
        static final int PADDED_SLOTS = 4;
        private static final ThreadLocal<Object[]> BY_THREAD = new ThreadLocal<>();

        private CharBuffer chars;
        private ByteBuffer bytes;
        private final CharsetEncoder encoder;
        private final ByteBuffer[] padded;
        private final Object[] slot;

        private Buffers(Object[] slot) {
            this.slot = slot;
            this.chars = (CharBuffer) slot[0];
            this.bytes = (ByteBuffer) slot[1];
            this.encoder = (CharsetEncoder) slot[2];
            this.padded = (ByteBuffer[]) slot[3];
        }

        /** The calling thread's buffers. */
        static Buffers ofThisThread() {
            Object[] slot = BY_THREAD.get();
            if (slot == null) {
                slot = new Object[] {CharBuffer.allocate(0), ByteBuffer.allocate(0),
                    StandardCharsets.ISO_8859_1.newEncoder(), new ByteBuffer[PADDED_SLOTS], null, null};
                BY_THREAD.set(slot);
            }
            return new Buffers(slot);
        }

        /**
         * The segment {@code text[start, end)}, of 128 to {@link #PADDED_MAX}
         * characters, as Latin-1 bytes followed by {@code A}s up to the next multiple of
         * {@link #PADDED_STEP}: a whole array for the JDK's decoder, whose first
         * {@code length * 3 / 4} decoded bytes are the segment's. Null if a character is beyond Latin-1,
         * as {@link #latin1}.
         */
        byte[] padded(String text, int start, int end) {
            int n = end - start;
            int length = (n + PADDED_STEP - 1) / PADDED_STEP * PADDED_STEP;
            int k = length / PADDED_STEP % PADDED_SLOTS;
            ByteBuffer out = padded[k];
            if (out == null || out.capacity() != length) {
                out = ByteBuffer.allocate(length);
                padded[k] = out;
            }
            if (!encode(text, start, end, chars(n), out.clear())) {
                return null;
            }
            java.util.Arrays.fill(out.array(), n, length, (byte) 'A');
            return out.array();
        }

        /** The ints of the thread's {@link PayloadLayout}. */
        int[] layoutInts() {
            if (slot[4] == null) {
                slot[4] = PayloadLayout.newInts();
                slot[5] = PayloadLayout.newBytes();
            }
            return (int[]) slot[4];
        }

        /** The bytes of the thread's {@link PayloadLayout}; after {@link #layoutInts}. */
        byte[] layoutBytes() {
            return (byte[]) slot[5];
        }

        /** Room for what the JDK's decoder writes from {@code n} characters of base64 without padding. */
        byte[] decoded(int n) {
            return bytes(n / 4 * 3).array();
        }

        /**
         * The segment {@code text[start, end)} as Latin-1 bytes: a heap buffer whose position and
         * limit enclose them. Null if a character is beyond Latin-1 (the encoder reports it rather than
         * write a byte that might be in the alphabet): such a segment is decoded from the text, as
         * Nimbus decodes it.
         */
        ByteBuffer latin1(String text, int start, int end) {
            int n = end - start;
            CharBuffer in = n <= KEPT ? chars(n) : CharBuffer.allocate(n);
            ByteBuffer out = n <= KEPT ? bytes(n) : ByteBuffer.allocate(n);
            return encode(text, start, end, in, out) ? out.flip() : null;
        }

        /**
         * Writes {@code text[start, end)} into {@code out} as Latin-1, through {@code in} (room for the
         * characters); false if a character is beyond Latin-1.
         */
        private boolean encode(String text, int start, int end, CharBuffer in, ByteBuffer out) {
            text.getChars(start, end, in.array(), 0);
            in.limit(end - start);
            encoder.reset();
            return !encoder.encode(in, out, true).isError();
        }

        /** Room for the payload of a segment of {@code n} characters decoded here. */
        byte[] json(int n) {
            int size = Math.max(n, n / 4 * 3 + 2);
            return size <= KEPT ? bytes(size).array() : new byte[size];
        }

        private CharBuffer chars(int n) {
            if (chars.capacity() < n) {
                chars = CharBuffer.allocate(grown(chars.capacity(), n));
                slot[0] = chars;
            }
            return chars.clear();
        }

        private ByteBuffer bytes(int n) {
            if (bytes.capacity() < n) {
                bytes = ByteBuffer.allocate(grown(bytes.capacity(), n));
                slot[1] = bytes;
            }
            return bytes.clear();
        }

        private static int grown(int capacity, int n) {
            return Math.min(KEPT, Math.max(n, Math.max(256, capacity * 2)));
        }
    }

    /**
     * For tests: how many characters the calling thread's buffers hold now (0 before its first read).
     *
     * @return the kept buffer's capacity in characters
     */
    static int bufferedChars() {
        Object[] slot = Buffers.BY_THREAD.get();
        if (slot == null) {
            return 0;
        }
        int most = Math.max(((CharBuffer) slot[0]).capacity(), ((ByteBuffer) slot[1]).capacity());
        for (ByteBuffer padded : (ByteBuffer[]) slot[3]) {
            most = Math.max(most, padded == null ? 0 : padded.capacity());
        }
        return most;
    }

    /**
     * For tests: the length of the payload whose layout the calling thread holds (0 for none).
     *
     * @return the recorded payload's length in bytes
     */
    static int layoutLength() {
        Object[] slot = Buffers.BY_THREAD.get();
        return slot == null || slot[4] == null ? 0 : PayloadLayout.length((int[]) slot[4]);
    }

    /**
     * For tests: the payload whose layout the calling thread holds (empty for none). A payload read
     * from the layout leaves it as it was; one that was scanned replaces it.
     *
     * @return a copy of the recorded payload's bytes
     */
    static byte[] layoutPayload() {
        Object[] slot = Buffers.BY_THREAD.get();
        return java.util.Arrays.copyOf(slot == null || slot[5] == null ? new byte[0] : (byte[]) slot[5], layoutLength());
    }

    /** The ids of the payload segment {@code text[start, end)}, or null. Never throws. */
    private static TokenIds payload(String text, int start, int end, ReadBudget budget, Buffers buffers) {
        if (!mayOpenJson(text, start, end)) {
            return null;
        }
        byte[] json = null;
        int n = -1;
        int length = end - start;
        if (length >= FAST_DECODE_MIN && budget.fastDecode()) {
            try {
                // The JDK's decoder is an intrinsic (vectorized where the CPU can) but throws on
                // what is not base64url: the budget bounds how often a request makes it throw.
                if (length <= Buffers.PADDED_MAX) {
                    // A length no encoder writes (one character over a group) is left to the lenient decode.
                    byte[] padded = length % 4 == 1 ? null : buffers.padded(text, start, end);
                    if (padded != null) {
                        json = buffers.decoded(padded.length);
                        int written = URL_DECODER.decode(padded, json);
                        // Fewer when the segment ends in '=' padding and needed no filling: the
                        // decoder's own count, as it gives for the segment alone.
                        n = Math.min(written, length / 4 * 3 + Math.max(0, length % 4 - 1));
                    }
                } else {
                    ByteBuffer latin1 = buffers.latin1(text, start, end);
                    if (latin1 != null) {
                        ByteBuffer out = URL_DECODER.decode(latin1);
                        json = out.array();
                        n = out.limit();
                    }
                }
            } catch (IllegalArgumentException notBase64url) {
                budget.fastDecodeFailed();
            }
        }
        if (n < 0) {
            json = buffers.json(end - start);
            n = decodeInto(text, start, end, json);
        }
        if (n < 0) {
            // Characters outside the alphabet, or a length no encoder writes: decoded as Nimbus
            // decodes it, skipping what is not base64 (either alphabet).
            n = decodeLenient(text, start, end, json);
        }
        int[] layout = n >= PayloadLayout.MIN_BYTES && n <= PayloadLayout.MAX_BYTES ? buffers.layoutInts() : null;
        if (layout != null) {
            TokenIds known = PayloadLayout.read(layout, buffers.layoutBytes(), json, n);
            if (known != PayloadLayout.MISS) {
                return known;
            }
            PayloadLayout.startRecording(layout);
        }
        Scanner scanner = new Scanner(json, n, layout);
        TokenIds fast = scanner.object();
        if (layout != null && fast != null && fast != UNSURE && scanner.recorded) {
            PayloadLayout.keep(layout, buffers.layoutBytes(), json, n, scanner.i);
        }
        if (fast != UNSURE) {
            return fast;
        }
        return budget.take() ? nimbus(json, n) : null;
    }

    /**
     * Decodes as Nimbus's {@code Base64URL.decode()} does: characters of either alphabet
     * ({@code -_} or {@code +/}) count, every other character (padding, percent signs, anything
     * beyond Latin-1) is skipped, and bits left over at the end are dropped. Never fails; {@code out}
     * holds at least 3/4 of the length.
     */
    private static int decodeLenient(String text, int start, int end, byte[] out) {
        int o = 0;
        int bits = 0;
        int count = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            int v = c < 256 ? EITHER_ALPHABET[c] : -1;
            if (v < 0) {
                continue;
            }
            bits = bits << 6 | v;
            count += 6;
            if (count >= 8) {
                count -= 8;
                out[o++] = (byte) (bits >> count);
                bits &= (1 << count) - 1;
            }
        }
        return o;
    }

    /** The 6-bit value of each byte in base64url, or -1, which makes any group it is shifted into negative. */
    private static final int[] BASE64URL = new int[256];

    /** As {@link #BASE64URL}, with the standard alphabet's {@code +} and {@code /} too, as Nimbus reads them. */
    private static final int[] EITHER_ALPHABET = new int[256];

    static {
        java.util.Arrays.fill(BASE64URL, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64URL[alphabet.charAt(i)] = i;
        }
        System.arraycopy(BASE64URL, 0, EITHER_ALPHABET, 0, 256);
        EITHER_ALPHABET['+'] = 62;
        EITHER_ALPHABET['/'] = 63;
    }

    /**
     * Whether the segment's first byte can start what Nimbus reads as claims (an object or an
     * array, or whitespace before one), read from its first two characters without decoding the
     * rest: most junk between two dots ends here. True when those characters are not both base64url.
     */
    private static boolean mayOpenJson(String text, int start, int end) {
        int first = sextet(text.charAt(start)) << 2 | (start + 1 < end ? sextet(text.charAt(start + 1)) >> 4 : 0);
        // 0xEF: a UTF-8 byte order mark, which Nimbus's JSON reader skips at the very start.
        return first < 0 || first == '{' || first == '[' || first == ' ' || first == '\t' || first == '\n'
                || first == '\r' || first == 0xEF;
    }

    /**
     * Decodes unpadded base64url from a text's characters; null if one is outside the alphabet or
     * the length is one no encoder writes. Unused trailing bits are ignored, as Nimbus ignores them.
     */
    static byte[] decode(CharSequence text, int start, int end) {
        byte[] out = new byte[(end - start) / 4 * 3 + 2];
        int n = decodeInto(text.toString(), start, end, out);
        return n < 0 ? null : java.util.Arrays.copyOf(out, n);
    }

    /** A character's 6-bit value in base64url, or -1 (for any character beyond Latin-1 too). */
    private static int sextet(char c) {
        return c < 256 ? BASE64URL[c] : -1;
    }

    /** {@link #decode(CharSequence, int, int)} into a buffer of at least 3/4 of the length plus 2: the length, or -1. */
    private static int decodeInto(String text, int start, int end, byte[] out) {
        int n = end - start;
        if (n % 4 == 1) {
            return -1;
        }
        int o = 0;
        int i = start;
        for (int full = start + n / 4 * 4; i < full; i += 4) {
            int bits = sextet(text.charAt(i)) << 18 | sextet(text.charAt(i + 1)) << 12
                    | sextet(text.charAt(i + 2)) << 6 | sextet(text.charAt(i + 3));
            if (bits < 0) {
                return -1;
            }
            out[o++] = (byte) (bits >> 16);
            out[o++] = (byte) (bits >> 8);
            out[o++] = (byte) bits;
        }
        if (i < end) {
            int bits = sextet(text.charAt(i)) << 18 | sextet(text.charAt(i + 1)) << 12
                    | (i + 2 < end ? sextet(text.charAt(i + 2)) << 6 : 0);
            if (bits < 0) {
                return -1;
            }
            out[o++] = (byte) (bits >> 16);
            if (i + 2 < end) {
                out[o++] = (byte) (bits >> 8);
            }
        }
        return o;
    }

    /**
     * An id whose bytes hold no escape, as Nimbus decodes the payload: UTF-8 (ASCII, which every
     * issued id is, as one character a byte).
     */
    static String idText(byte[] b, int start, int end, boolean nonAscii) {
        return new String(b, start, end - start, nonAscii ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    /** The denylist key of an id {@link #idText} read: from the bytes when they are ASCII. */
    static long idKey(byte[] b, int start, int end, String id, boolean nonAscii) {
        return nonAscii ? CaffeineDenylist.hash(id) : CaffeineDenylist.hashAscii(b, start, end - start);
    }

    /** The rare path: the payload as Nimbus parses it. */
    private static TokenIds nimbus(byte[] json, int n) {
        try {
            JWTClaimsSet claims = JWTClaimsSet.parse(new String(json, 0, n, StandardCharsets.UTF_8));
            String originJti;
            try {
                originJti = claims.getStringClaim("origin_jti");
            } catch (java.text.ParseException notAString) {
                originJti = null;
            }
            Date iat = claims.getIssueTime();
            return new TokenIds(claims.getJWTID(), originJti, claims.getSubject(),
                    iat == null ? Long.MIN_VALUE : Math.floorDiv(iat.getTime(), 1000), authTime(claims));
        } catch (java.text.ParseException | RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    /**
     * A verified or parsed token's {@code auth_time} in epoch seconds, as Nimbus reads a date claim
     * (a fraction rounded down, as the fast path's {@code iat}); {@link Long#MIN_VALUE} if absent or
     * not a number.
     *
     * @param claims the claims
     * @return the sign-in time, or {@link Long#MIN_VALUE}
     */
    public static long authTime(JWTClaimsSet claims) {
        try {
            Date t = claims.getDateClaim("auth_time");
            return t == null ? Long.MIN_VALUE : Math.floorDiv(t.getTime(), 1000);
        } catch (java.text.ParseException notADate) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * A strict scanner for the top level of one JSON object. It never throws: a read past the end
     * gives -1, which no rule accepts. Only the values it returns become strings: keys are compared
     * and other values skipped in place.
     */
    private static final class Scanner {
        static final int MAX_DEPTH = 64;
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        private static final int OTHER = 0;
        private static final int JTI = PayloadLayout.JTI;
        private static final int ORIGIN_JTI = PayloadLayout.ORIGIN_JTI;
        private static final int SUB = PayloadLayout.SUB;
        private static final int IAT = PayloadLayout.IAT;
        private static final int AUTH_TIME = PayloadLayout.AUTH_TIME;
        private static final int ALL = 1 << JTI | 1 << ORIGIN_JTI | 1 << SUB | 1 << IAT | 1 << AUTH_TIME;

        private final byte[] b;
        /** The payload's length: {@code b} may be a longer buffer. */
        private final int n;
        private int i;
        /** The payload is not JSON that Nimbus reads: certain, no need to ask it. */
        private boolean malformed;
        /** Well-formed so far, but a value the scanner leaves to Nimbus. */
        private boolean unsure;
        /** The denylist key of the id {@link #idValue} returned last (0 for none). */
        private long lastKey;

        /** The thread's layout's ints, into which the regions are recorded; null for none. */
        private final int[] layout;
        /** Every region was recorded (no escape read, room for all). */
        boolean recorded;

        Scanner(byte[] b, int n, int[] layout) {
            this.b = b;
            this.n = n;
            this.layout = layout;
            this.recorded = layout != null;
        }

        /** Records a region of the payload for {@link PayloadLayout}. */
        private void region(int start, int end, int kind) {
            if (recorded) {
                recorded = PayloadLayout.record(layout, start, end, kind);
            }
        }

        /** @return the ids; null if Nimbus refuses the payload; UNSURE if Nimbus must decide */
        TokenIds object() {
            int last = n - 1;
            while (last >= 0 && (b[last] == ' ' || b[last] == '\t' || b[last] == '\n' || b[last] == '\r')) {
                last--;
            }
            if (last < 0 || (b[last] != '}' && b[last] != ']')) {
                return null; // Nimbus wants nothing after the object (or the pair array) but whitespace
            }
            if (n >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
                i = 3; // one byte order mark at the very start, as Nimbus's JSON reader allows
            }
            ws();
            int c = at(i);
            if (c != '{') {
                // Nimbus also reads a top-level array of [name, value] pairs as an object.
                return c == '[' ? UNSURE : null;
            }
            i++;
            String jti = null;
            String originJti = null;
            String sub = null;
            long jtiKey = 0;
            long originJtiKey = 0;
            long subKey = 0;
            long iat = Long.MIN_VALUE;
            long authTime = Long.MIN_VALUE;
            int seen = 0;
            ws();
            if (at(i) == '}') {
                i++;
                return atEnd() ? new TokenIds(null, null, null, iat, authTime) : null;
            }
            while (true) {
                ws();
                int key = key();
                ws();
                if (malformed || at(i++) != ':') {
                    return null;
                }
                ws();
                if (key != OTHER) {
                    if ((seen & 1 << key) != 0) {
                        return null; // a duplicate name: Nimbus refuses the object
                    }
                    seen |= 1 << key;
                }
                if (key == OTHER) {
                    skipValue(0);
                } else if (key == IAT || key == AUTH_TIME) {
                    long time = issuedAt(key);
                    if (key == IAT) {
                        iat = time;
                    } else {
                        authTime = time;
                    }
                } else {
                    // One call site: the id's read and hash are compiled once, not once per claim.
                    String id = idValue(key);
                    if (key == JTI) {
                        jti = id;
                        jtiKey = lastKey;
                    } else if (key == ORIGIN_JTI) {
                        originJti = id;
                        originJtiKey = lastKey;
                    } else {
                        sub = id;
                        subKey = lastKey;
                    }
                }
                if (malformed) {
                    return null;
                }
                if (unsure) {
                    return UNSURE;
                }
                if (seen == ALL) {
                    // The rest cannot change the answer where Nimbus reads the payload: with a
                    // duplicate or a defect further on, Nimbus refuses it, and then any answer is safe.
                    return new TokenIds(jti, originJti, sub, iat, authTime, jtiKey, originJtiKey, subKey);
                }
                ws();
                int next = at(i++);
                if (next == '}') {
                    return atEnd() ? new TokenIds(jti, originJti, sub, iat, authTime, jtiKey, originJtiKey, subKey) : null;
                }
                if (next != ',') {
                    return null;
                }
            }
        }

        /** The byte at {@code k} as 0..255, or -1 past the end. */
        private int at(int k) {
            return k < n ? b[k] & 0xff : -1;
        }

        private boolean atEnd() {
            ws();
            return i == n;
        }

        private void ws() {
            if (i < n && b[i] > ' ') {
                return; // issued tokens carry no whitespace
            }
            while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
                i++;
            }
        }

        private void fail() {
            malformed = true;
            i = n; // every later read gives -1
        }

        /**
         * A string or JSON null (null); any other type is left to Nimbus (it refuses some, converts
         * others). Sets {@link #lastKey} to the string's denylist key.
         */
        private String idValue(int key) {
            lastKey = 0;
            int c = at(i);
            if (c == '"') {
                return string(key);
            }
            if (c == 'n') {
                literal("null");
                return null;
            }
            if (startsValue(c)) {
                unsure = true;
            } else {
                fail();
            }
            return null;
        }

        private static boolean startsValue(int c) {
            return c == '"' || c == '{' || c == '[' || c == 't' || c == 'f' || c == 'n' || c == '-'
                    || (c >= '0' && c <= '9');
        }

        private String string(int key) {
            i++; // the opening quote
            int start = i;
            int end = idStringEnd();
            if (end == -2) {
                String escaped = escapedString();
                lastKey = escaped == null ? 0 : CaffeineDenylist.hash(escaped);
                return escaped;
            }
            if (end < 0) {
                fail(); // no closing quote, or a control character
                return null;
            }
            i = end + 1;
            region(start, end, key);
            String id = idText(b, start, end, nonAscii);
            lastKey = idKey(b, start, end, id, nonAscii);
            return id;
        }

        /** Whether the string {@link #idStringEnd} read last has a byte beyond ASCII. */
        private boolean nonAscii;

        /**
         * As {@link #plainStringEnd}, for an id: also -3 if a control character (below 0x20, which
         * Nimbus refuses in a string) comes before the closing quote, and sets {@link #nonAscii}.
         */
        private int idStringEnd() {
            int k = i;
            long high = 0;
            // Eight bytes a step, as plainStringEnd, with a third test: w - 0x20 in each byte borrows
            // (sets the byte's top bit) only where the byte is below 0x20, or where a lower byte
            // borrowed; "& ~w" drops bytes whose own top bit was set. So the lowest flagged byte of
            // the three tests is exact, and it says which test flagged it.
            for (; k + 8 <= n; k += 8) {
                long w = (long) LONGS.get(b, k);
                long q = w ^ 0x2222222222222222L;
                long e = w ^ 0x5C5C5C5C5C5C5C5CL;
                long m = ((q - 0x0101010101010101L) & ~q | (e - 0x0101010101010101L) & ~e
                        | (w - 0x2020202020202020L) & ~w) & 0x8080808080808080L;
                if (m != 0) {
                    int zeros = Long.numberOfTrailingZeros(m);
                    // The bytes before the flagged one (zeros is 8 * their count + 7).
                    nonAscii = ((high | w & ((1L << (zeros - 7)) - 1)) & 0x8080808080808080L) != 0;
                    k += zeros >>> 3;
                    return b[k] == '"' ? k : b[k] == '\\' ? -2 : -3;
                }
                high |= w;
            }
            boolean beyond = (high & 0x8080808080808080L) != 0;
            for (; k < n; k++) {
                byte c = b[k];
                if (c == '"') {
                    nonAscii = beyond;
                    return k;
                }
                if (c == '\\') {
                    return -2;
                }
                if (c >= 0 && c < 0x20) {
                    return -3;
                }
                beyond |= c < 0;
            }
            return -1;
        }

        /** Reads a key: which of the five claims it names, if any. */
        private int key() {
            if (at(i) != '"') {
                fail();
                return OTHER;
            }
            i++;
            int start = i;
            int end = plainStringEnd();
            if (end == -2) {
                String key = escapedString();
                return key == null ? OTHER : switch (key) {
                    case "jti" -> JTI;
                    case "origin_jti" -> ORIGIN_JTI;
                    case "sub" -> SUB;
                    case "iat" -> IAT;
                    case "auth_time" -> AUTH_TIME;
                    default -> OTHER;
                };
            }
            if (end < 0) {
                fail();
                return OTHER;
            }
            i = end + 1;
            // Compared a word at a time: b[end] is the closing quote, so a 3-byte key is read with its
            // quote as one int, and the 9- and 10-byte keys as a long and the one or two bytes after it.
            switch (end - start) {
                case 3 -> {
                    int word = (int) INTS.get(b, start);
                    return word == JTI_Q ? JTI : word == SUB_Q ? SUB : word == IAT_Q ? IAT : OTHER;
                }
                case 9 -> {
                    return (long) LONGS.get(b, start) == AUTH_TIM && b[start + 8] == 'e' ? AUTH_TIME : OTHER;
                }
                case 10 -> {
                    return (long) LONGS.get(b, start) == ORIGIN_J && b[start + 8] == 't' && b[start + 9] == 'i'
                            ? ORIGIN_JTI : OTHER;
                }
                default -> {
                    return OTHER;
                }
            }
        }

        /** The first four (or eight) bytes of a string as one little-endian int (or long). */
        private static int int4(String ascii) {
            return ascii.charAt(0) | ascii.charAt(1) << 8 | ascii.charAt(2) << 16 | ascii.charAt(3) << 24;
        }

        private static long long8(String ascii) {
            return int4(ascii) & 0xffffffffL | (long) int4(ascii.substring(4)) << 32;
        }

        private static final int JTI_Q = int4("jti\"");
        private static final int SUB_Q = int4("sub\"");
        private static final int IAT_Q = int4("iat\"");
        private static final long AUTH_TIM = long8("auth_tim");
        private static final long ORIGIN_J = long8("origin_j");

        /**
         * Skips a string value or a nested key. Only the ids are checked for control characters:
         * the lookup can only reject a request, and Nimbus refuses such a token anyway.
         */
        private void skipString() {
            if (at(i) != '"') {
                fail();
                return;
            }
            i++;
            int end = plainStringEnd();
            if (end == -2) {
                escapedString();
            } else if (end < 0) {
                fail();
            } else {
                if (end > i) {
                    region(i, end, PayloadLayout.STRING);
                }
                i = end + 1;
            }
        }

        /**
         * Finds the closing quote of a string that starts at {@code i} and has no escapes, leaving
         * {@code i} alone; -2 if a backslash comes first, -1 if there is no closing quote.
         */
        private int plainStringEnd() {
            int k = i;
            // Eight bytes a step: a byte equal to '"' or '\\' gives a zero byte in one of the
            // two XORs, and the lowest flagged byte of "has a zero byte" is exact.
            for (; k + 8 <= n; k += 8) {
                long w = (long) LONGS.get(b, k);
                long q = w ^ 0x2222222222222222L;
                long e = w ^ 0x5C5C5C5C5C5C5C5CL;
                long m = ((q - 0x0101010101010101L) & ~q | (e - 0x0101010101010101L) & ~e) & 0x8080808080808080L;
                if (m != 0) {
                    k += Long.numberOfTrailingZeros(m) >>> 3;
                    return b[k] == '"' ? k : -2;
                }
            }
            for (; k < n; k++) {
                byte c = b[k];
                if (c == '"') {
                    return k;
                }
                if (c == '\\') {
                    return -2;
                }
            }
            return -1;
        }

        // The rare path: a string with escapes, decoded exactly as a JSON parser would; null if malformed.
        private String escapedString() {
            recorded = false; // a layout holds no escapes
            StringBuilder out = new StringBuilder();
            int runStart = i;
            while (true) {
                int c = at(i);
                if (c == '"') {
                    out.append(new String(b, runStart, i - runStart, StandardCharsets.UTF_8));
                    i++;
                    return out.toString();
                }
                if (c < 0x20) { // a control character, or the end
                    fail();
                    return null;
                }
                if (c != '\\') {
                    i++;
                    continue;
                }
                out.append(new String(b, runStart, i - runStart, StandardCharsets.UTF_8));
                int e = at(i + 1);
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
                        int unit = 0;
                        for (int k = 0; k < 4; k++) {
                            int digit = Character.digit(at(i + k), 16);
                            if (digit < 0) {
                                fail();
                                return null;
                            }
                            unit = unit << 4 | digit;
                        }
                        out.append((char) unit);
                        i += 4;
                    }
                    default -> {
                        fail();
                        return null;
                    }
                }
                runStart = i;
            }
        }

        /**
         * {@code iat}: a plain JSON integer of at most 15 digits, or null. Fractions, exponents,
         * longer numbers and other types are left to Nimbus, whose reading is the verifier's.
         */
        private long issuedAt(int key) {
            int c = at(i);
            if (c == 'n') {
                literal("null");
                return Long.MIN_VALUE;
            }
            boolean negative = c == '-';
            if (negative) {
                i++;
            }
            int start = i;
            long value = 0;
            while (i < n && b[i] >= '0' && b[i] <= '9') {
                value = value * 10 + (b[i++] - '0');
            }
            int digits = i - start;
            if (digits > 0) {
                region(start, i, key);
            }
            int after = at(i);
            if (digits == 0 && !startsValue(c)) {
                fail();
            } else if (digits == 0 || digits > MAX_FAST_DIGITS || (digits > 1 && b[start] == '0')
                    || after == '.' || after == 'e' || after == 'E') {
                unsure = true;
            }
            return negative ? -value : value;
        }

        private void skipNumberTail() {
            while (i < n && b[i] >= '0' && b[i] <= '9') {
                i++; // the common case, an integer, in the simplest loop
            }
            while (i < n && (b[i] == '.' || b[i] == 'e' || b[i] == 'E' || b[i] == '+' || b[i] == '-'
                    || (b[i] >= '0' && b[i] <= '9'))) {
                i++;
            }
        }

        /**
         * Skips one value; deeper than {@link #MAX_DEPTH} is left to Nimbus (its own limit is higher).
         * Flat values are skipped here, so that this stays small enough to be compiled into its
         * callers; only arrays and objects recurse.
         */
        private void skipValue(int depth) {
            if (depth > MAX_DEPTH) {
                unsure = true;
                i = n;
                return;
            }
            int c = at(i);
            switch (c) {
                case '"' -> skipString();
                case '{', '[' -> skipContainer(c, depth);
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> {
                    if (c != '-' && (c < '0' || c > '9')) {
                        fail();
                        return;
                    }
                    int start = i++;
                    skipNumberTail();
                    region(start, i, PayloadLayout.NUMBER);
                }
            }
        }

        /** Skips an array or object that opens at {@code i} with {@code c}. */
        private void skipContainer(int c, int depth) {
            int close = c == '{' ? '}' : ']';
            i++;
            ws();
            if (at(i) == close) {
                i++;
                return;
            }
            while (true) {
                ws();
                if (c == '{') {
                    skipString();
                    ws();
                    if (at(i++) != ':') {
                        fail();
                        return;
                    }
                    ws();
                }
                skipValue(depth + 1);
                if (malformed || unsure) {
                    return;
                }
                ws();
                int next = at(i++);
                if (next == close) {
                    return;
                }
                if (next != ',') {
                    fail();
                    return;
                }
            }
        }

        private void literal(String word) {
            for (int k = 0; k < word.length(); k++) {
                if (at(i++) != word.charAt(k)) {
                    fail();
                    return;
                }
            }
        }
    }
}
