package io.github.cognitorevoke.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A text percent-decoded as {@code URLDecoder} decodes it ({@code %XX} to its character, {@code +}
 * to a space), with the positions where the decoded text differs from what was sent. A search of
 * the decoded text needs to read only the parts around those positions: everywhere else it is the
 * text as sent, which was searched already. So a header of hostile size with one escape costs one
 * more pass of the cheap kind, not a second full search.
 */
final class PercentDecoded implements CharSequence {

    private final String text;
    private final int[] changed;
    private final int changes;

    private PercentDecoded(String text, int[] changed, int changes) {
        this.text = text;
        this.changed = changed;
        this.changes = changes;
    }

    /**
     * Decodes in one pass into Latin-1 bytes (headers are Latin-1); a character beyond Latin-1 moves
     * what is decoded so far to a char array.
     *
     * @param s the text as sent
     * @return the decoded text and where it changed
     */
    static PercentDecoded of(String s) {
        int n = s.length();
        byte[] narrow = new byte[n];
        char[] wide = null;
        int[] changed = new int[8];
        int changes = 0;
        int o = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            int high;
            int low;
            int v;
            if (c == '%' && i + 2 < n && (high = hexDigit(s.charAt(i + 1))) >= 0 && (low = hexDigit(s.charAt(i + 2))) >= 0) {
                v = high << 4 | low;
                i += 2;
            } else {
                v = c == '+' ? ' ' : c;
            }
            if (v != c) {
                if (changes == changed.length) {
                    changed = Arrays.copyOf(changed, changes * 2);
                }
                changed[changes++] = o;
            }
            if (v > 0xff && wide == null) {
                wide = new char[n];
                for (int k = 0; k < o; k++) {
                    wide[k] = (char) (narrow[k] & 0xff);
                }
            }
            if (wide != null) {
                wide[o++] = (char) v;
            } else {
                narrow[o++] = (byte) v;
            }
        }
        String text = wide != null ? new String(wide, 0, o) : new String(narrow, 0, o, StandardCharsets.ISO_8859_1);
        return new PercentDecoded(text, changed, changes);
    }

    /** @return a reader of the changed positions for ranges given in increasing order: a step each, not a search */
    Changes changes() {
        return new Changes();
    }

    /** The changed positions, walked once from the start. */
    final class Changes {
        private int at;

        /**
         * @param from the start of the range, not less than any earlier call's
         * @param to   the end of the range, inclusive
         * @return whether any position in {@code [from, to]} differs from the text as sent
         */
        boolean within(int from, int to) {
            while (at < changes && changed[at] < from) {
                at++;
            }
            return at < changes && changed[at] <= to;
        }
    }

    /** @return whether decoding changed anything at all */
    boolean changed() {
        return changes > 0;
    }

    private static final byte[] HEX = new byte[128];

    static {
        Arrays.fill(HEX, (byte) -1);
        for (int d = 0; d < 16; d++) {
            HEX[Character.forDigit(d, 16)] = (byte) d;
            HEX[Character.toUpperCase(Character.forDigit(d, 16))] = (byte) d;
        }
    }

    /** As {@code Character.digit(c, 16)}, which {@code URLDecoder} uses: other scripts' digits count too. */
    private static int hexDigit(char c) {
        return c < 128 ? HEX[c] : Character.digit(c, 16);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public char charAt(int index) {
        return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
