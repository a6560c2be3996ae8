package io.github.cognitorevoke.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The layout of the last payload one thread read in full, so that the next payload of the same
 * layout is read by comparing bytes instead of walking its JSON. Tokens of one user pool and app
 * client differ only inside their values (ids, times, user names) and share every other byte: the
 * names, the issuer, the scope, the punctuation.
 *
 * <p>While the strict scanner reads a payload it records its <em>regions</em>: the contents of
 * every string value (and of the names inside nested objects, which it does not interpret) and the
 * characters of every number, in order, each with what it holds. When the scan gives ids (not a
 * refusal, not a payload left to Nimbus) and read no escape, the payload's bytes and regions become
 * the thread's layout. A later payload is read from the layout when it has the same length (or, if
 * the scan stopped before the end because it had every claim, any length past where it stopped, as
 * when user names that come after {@code jti} differ in length) and every byte it differs in, up to
 * where the scan stopped, lies in a region and keeps the region's kind: no
 * quote or backslash in a string, digits only in a number. Then the scanner would take exactly the
 * steps it took on the recorded payload (it looks at nothing else), so the ids are the bytes of the
 * id regions, read as the scanner reads them; an id with a control character, and an {@code iat} with
 * a leading zero, go to the scanner. Anything else is read by the scanner,
 * whose layout then replaces this one. The comparison is the JDK's vectorized mismatch; a crafted
 * payload costs at most this comparison and the scan it would have had anyway.
 *
 * <p>The state is two arrays of JDK types held with the thread's other buffers: the bytes (at most
 * {@link #MAX_BYTES}) and the ints ({@code [length, stop, count, region of each id kind..., (start,
 * end, kind)...]}).
 */
final class PayloadLayout {

    /** Region kinds: a string's contents the scanner skipped; the ids' kinds are the scanner's claim numbers. */
    static final int STRING = 0;
    static final int JTI = 1;
    static final int ORIGIN_JTI = 2;
    static final int SUB = 3;
    static final int IAT = 4;
    static final int AUTH_TIME = 5;
    /** The characters of a number the scanner skipped. */
    static final int NUMBER = 6;

    /**
     * Shortest payload compared or recorded: no issued token's is near it (Cognito's are 600 bytes
     * and more), and a flood of tiny segments then costs nothing here.
     */
    static final int MIN_BYTES = 32;
    /** Longest payload recorded: that of the longest segment decoded into the thread's own buffers. */
    static final int MAX_BYTES = 1536;
    /** Payloads with more strings and numbers than this are not recorded. */
    static final int MAX_REGIONS = 64;

    private static final int LENGTH = 0;
    private static final int STOP = 1;
    private static final int COUNT = 2;
    /**
     * {@code ints[BY_KIND + kind]}, for the id kinds 1 to 5 (so ints 3 to 7, after {@link #COUNT}):
     * the index of that claim's region; -1 for none.
     */
    private static final int BY_KIND = COUNT;
    private static final int REGIONS = BY_KIND + AUTH_TIME + 1;

    /** What {@link #read} gives when the scanner must read the payload. */
    static final TokenIds MISS = new TokenIds(null, null, null, 0);

    private PayloadLayout() {
    }

    /** @return the ints of a thread's layout, holding none */
    static int[] newInts() {
        return new int[REGIONS + 3 * MAX_REGIONS];
    }

    /** @return the bytes of a thread's layout */
    static byte[] newBytes() {
        return new byte[MAX_BYTES];
    }

    /** @return the length of the payload whose layout the ints hold, 0 for none */
    static int length(int[] ints) {
        return ints[LENGTH];
    }

    /** Forgets the layout and starts recording a payload's regions into the same ints. */
    static void startRecording(int[] ints) {
        ints[LENGTH] = 0;
        ints[COUNT] = 0;
        Arrays.fill(ints, BY_KIND + 1, REGIONS, -1);
    }

    /**
     * Records a region, in the order of the payload; false when there is no room (the payload is
     * then not kept).
     */
    static boolean record(int[] ints, int start, int end, int kind) {
        int r = ints[COUNT];
        if (r == MAX_REGIONS) {
            return false;
        }
        int at = REGIONS + 3 * r;
        ints[at] = start;
        ints[at + 1] = end;
        ints[at + 2] = kind;
        if (kind >= JTI && kind <= AUTH_TIME) {
            ints[BY_KIND + kind] = r;
        }
        ints[COUNT] = r + 1;
        return true;
    }

    /**
     * Keeps the recorded regions with the payload they were read from.
     *
     * @param end where the scan stopped: it read every byte before it and, after a number, the byte
     *            at it (a number ends where a byte is not part of it), so that byte is compared too
     */
    static void keep(int[] ints, byte[] bytes, byte[] payload, int n, int end) {
        if (n > bytes.length || payload[n - 1] != '}') {
            return;
        }
        System.arraycopy(payload, 0, bytes, 0, n);
        ints[STOP] = Math.min(n, end + 1);
        ints[LENGTH] = n;
    }

    /**
     * The ids of a payload of the recorded layout, or {@link #MISS}.
     *
     * @param ints    the layout's ints
     * @param bytes   the layout's bytes
     * @param payload the payload
     * @param n       its length
     * @return the ids the scanner would give, or {@link #MISS}
     */
    static TokenIds read(int[] ints, byte[] bytes, byte[] payload, int n) {
        int length = ints[LENGTH];
        int stop = ints[STOP];
        // The scan read nothing at or past stop but the payload's last byte: when it stopped before the
        // end (every claim found), a payload of another length past that point reads the same.
        if (length == 0 || length != n && (stop == length || n <= stop) || payload[n - 1] != '}') {
            return MISS;
        }
        int count = ints[COUNT];
        int from = 0;
        int r = 0;
        while (from < stop) {
            int d = Arrays.mismatch(payload, from, stop, bytes, from, stop);
            if (d < 0) {
                break;
            }
            d += from;
            while (r < count && ints[REGIONS + 3 * r + 1] <= d) {
                r++;
            }
            int at = REGIONS + 3 * r;
            if (r == count || ints[at] > d) {
                return MISS; // a byte outside every region differs
            }
            int end = ints[at + 1];
            int kind = ints[at + 2];
            // An id's region is checked whole when it is read.
            if (kind == NUMBER || kind == IAT || kind == AUTH_TIME ? !digits(payload, d, end)
                    : kind == STRING && (scan(payload, d, end) & QUOTE_OR_BACKSLASH) != 0) {
                return MISS;
            }
            from = end;
            r++;
        }
        return ids(ints, payload);
    }

    private static TokenIds ids(int[] ints, byte[] payload) {
        long iat = time(ints, payload, IAT);
        long authTime = time(ints, payload, AUTH_TIME);
        if (iat == MISSED || authTime == MISSED) {
            return MISS;
        }
        int jtiBytes = bytes(ints, payload, JTI);
        int originJtiBytes = bytes(ints, payload, ORIGIN_JTI);
        int subBytes = bytes(ints, payload, SUB);
        if (((jtiBytes | originJtiBytes | subBytes) & (QUOTE_OR_BACKSLASH | CONTROL)) != 0) {
            return MISS; // another layout, or (a control character) one the scanner refuses, as Nimbus does
        }
        String jti = id(ints, payload, JTI, jtiBytes);
        String originJti = id(ints, payload, ORIGIN_JTI, originJtiBytes);
        String sub = id(ints, payload, SUB, subBytes);
        return new TokenIds(jti, originJti, sub, iat, authTime, key(ints, payload, JTI, jti, jtiBytes),
                key(ints, payload, ORIGIN_JTI, originJti, originJtiBytes), key(ints, payload, SUB, sub, subBytes));
    }

    /** What the region of this id kind holds ({@link #scan}); 0 if there is none. */
    private static int bytes(int[] ints, byte[] payload, int kind) {
        int r = ints[BY_KIND + kind];
        return r < 0 ? 0 : scan(payload, ints[REGIONS + 3 * r], ints[REGIONS + 3 * r + 1]);
    }

    /** The id in the region of this kind, as the scanner reads it; null if there is none. */
    private static String id(int[] ints, byte[] payload, int kind, int bytes) {
        int r = ints[BY_KIND + kind];
        return r < 0 ? null
                : TokenIds.idText(payload, ints[REGIONS + 3 * r], ints[REGIONS + 3 * r + 1], (bytes & HIGH) != 0);
    }

    /** The denylist key of the id read from the region of this kind. */
    private static long key(int[] ints, byte[] payload, int kind, String id, int bytes) {
        if (id == null) {
            return 0;
        }
        int r = ints[BY_KIND + kind];
        return TokenIds.idKey(payload, ints[REGIONS + 3 * r], ints[REGIONS + 3 * r + 1], id, (bytes & HIGH) != 0);
    }

    private static final long MISSED = Long.MIN_VALUE + 1;

    /** The time in a region of this kind, as the scanner reads it; MIN_VALUE if none; MISSED for a leading zero. */
    private static long time(int[] ints, byte[] payload, int kind) {
        int r = ints[BY_KIND + kind];
        if (r < 0) {
            return Long.MIN_VALUE;
        }
        int start = ints[REGIONS + 3 * r];
        int end = ints[REGIONS + 3 * r + 1];
        if (end - start > 1 && payload[start] == '0') {
            return MISSED;
        }
        long value = 0;
        int k = start;
        // The last eight digits at once, when there are eight (every time of this century has ten).
        int head = end - start >= 8 ? end - 8 : end;
        for (; k < head; k++) {
            value = value * 10 + (payload[k] - '0');
        }
        if (head < end) {
            value = value * 100_000_000 + eightDigits((long) LONGS.get(payload, head) ^ 0x3030303030303030L);
        }
        return start > 0 && payload[start - 1] == '-' ? -value : value;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long TOPS = 0x8080808080808080L;

    /** Whether every byte of {@code b[from, to)} is a digit; eight a step. */
    private static boolean digits(byte[] b, int from, int to) {
        long other = 0;
        int k = from;
        for (; k + 8 <= to; k += 8) {
            long x = (long) LONGS.get(b, k) ^ 0x3030303030303030L; // a digit's byte becomes its value
            // A byte's top bit is set where x is 10 or more; exact, no carry leaves a byte.
            other |= (x & 0x7F7F7F7F7F7F7F7FL) + 0x7676767676767676L | x;
        }
        for (; k < to; k++) {
            other |= b[k] < '0' || b[k] > '9' ? TOPS : 0;
        }
        return (other & TOPS) == 0;
    }

    /**
     * The number written by eight digit values, one a byte, the first in the lowest byte (as a
     * little-endian load puts them): pairs, then fours, then all eight, by multiplication.
     */
    private static long eightDigits(long x) {
        x = x * 10 + (x >>> 8);
        return ((x & 0x000000FF000000FFL) * (100 + (1_000_000L << 32))
                + (x >>> 16 & 0x000000FF000000FFL) * (1 + (10_000L << 32))) >>> 32;
    }

    static final int QUOTE_OR_BACKSLASH = 1;
    static final int CONTROL = 2;
    static final int HIGH = 4;

    /**
     * What {@code b[from, to)} holds, eight bytes a step: {@link #QUOTE_OR_BACKSLASH},
     * {@link #CONTROL} (a byte below 0x20), {@link #HIGH} (a byte beyond ASCII). Each test flags a
     * word's byte only if a byte of the kind is in the word (a borrow runs up from a match only), so
     * "any" is exact.
     */
    private static int scan(byte[] b, int from, int to) {
        long special = 0;
        long control = 0;
        long high = 0;
        int k = from;
        for (; k + 8 <= to; k += 8) {
            long w = (long) LONGS.get(b, k);
            long q = w ^ 0x2222222222222222L;
            long e = w ^ 0x5C5C5C5C5C5C5C5CL;
            special |= (q - ONES) & ~q | (e - ONES) & ~e;
            control |= (w - 0x2020202020202020L) & ~w;
            high |= w;
        }
        for (; k < to; k++) {
            byte c = b[k];
            special |= c == '"' || c == '\\' ? TOPS : 0;
            control |= c >= 0 && c < 0x20 ? TOPS : 0;
            high |= c;
        }
        return ((special & TOPS) != 0 ? QUOTE_OR_BACKSLASH : 0) | ((control & TOPS) != 0 ? CONTROL : 0)
                | ((high & TOPS) != 0 ? HIGH : 0);
    }
}
