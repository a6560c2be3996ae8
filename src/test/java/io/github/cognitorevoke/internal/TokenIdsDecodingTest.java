package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoding of a segment, from the text's own characters: short segments in place, longer ones
 * as Latin-1 bytes through the JDK's decoder, with per-thread buffers of a bounded size. Every case
 * is checked against Nimbus's reading of the same segment (its lenient base64url and its JSON
 * parser), which is what the denylist check must agree with.
 */
class TokenIdsDecodingTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** The ids Nimbus reads from a payload segment as sent (its lenient base64url), or null if it refuses it. */
    private static TokenIds nimbus(String segment) {
        return TokenIdsAttackTest.nimbus(new Base64URL(segment).decode());
    }

    /** What the search reads from the segment between two dots, with no bound on reads by Nimbus. */
    static TokenIds read(String segment) {
        AtomicReference<TokenIds> seen = new AtomicReference<>();
        TokenIds.anyMatch("Bearer eyJhbGciOiJSUzI1NiJ9." + segment + ".c2ln", ids -> {
            seen.set(ids);
            return true;
        }, ReadBudget.unlimited());
        return seen.get();
    }

    private static String encode(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A payload with these ids and a filler claim that brings its JSON to about {@code length} bytes. */
    private static String json(String jti, String sub, int length) {
        String head = "{\"sub\":\"" + sub + "\",\"origin_jti\":\"o-" + sub + "\",\"iat\":1700000000,\"jti\":\"" + jti + "\"";
        int fill = Math.max(0, length - head.length() - 12);
        return head + ",\"filler\":\"" + "f".repeat(fill) + "\"}";
    }

    @Test
    void idsOfEveryLength_asciiUtf8AndEscaped_onShortAndLongSegments_readAsNimbusReadsThem() {
        // Each unit is one character of the id: ASCII, beyond ASCII (two to four UTF-8 bytes), escaped.
        String[][] alphabets = {{"a", "b", "-", "0", "9", "Z"}, {"\u00e9", "t", "\u0142", "\u20ac", "\uD83D\uDE00"},
                {"a", "\\u0062", "\\\"", "c", "\\/", "\\\\", "\\u00e9"}};
        for (String[] units : alphabets) {
            for (int idLength = 0; idLength <= 80; idLength++) {
                StringBuilder id = new StringBuilder();
                for (int k = 0; k < idLength; k++) {
                    id.append(units[k % units.length]);
                }
                String value = id.toString();
                // 16 bytes of JSON (decoded in place) to 6,000 (past the buffers a thread keeps).
                for (int length : new int[] {16, 90, 96, 97, 200, 3000, 3100, 6000}) {
                    String segment = encode(json(value, "u" + idLength, length));
                    TokenIds expected = nimbus(segment);
                    assertThat(expected).as(segment).isNotNull();
                    assertThat(read(segment)).as("id of %d characters in %d bytes: %s", idLength, length, value)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void everySegmentLength_ofTheThreadsPaddedCopies_andPastThem_readAsNimbusReadsThem_inAnyOrder() {
        // Segments of 120 to about 2,200 characters (every remainder a group can leave), read in a
        // shuffled order on one thread: each copy reuses an array that a longer or shorter segment
        // filled before, so a byte left behind by another would show here.
        java.util.List<String> segments = new java.util.ArrayList<>();
        for (int length = 90; length <= 1650; length++) {
            segments.add(encode(json("j-" + length, "u-" + length, length)));
        }
        java.util.Collections.shuffle(segments, new java.util.Random(7));
        for (String segment : segments) {
            TokenIds expected = nimbus(segment);
            assertThat(expected).as(segment).isNotNull();
            assertThat(read(segment)).as("a segment of %d characters", segment.length()).isEqualTo(expected);
            String cut = segment.substring(0, segment.length() - 1);
            assertThat(read(cut)).as("the same, one character shorter").isEqualTo(nimbus(cut));
        }
    }

    @Test
    void everyLengthOfSegment_fromEmptyTo200_agreesWithNimbus_orIsSkipped() {
        String full = encode(json("j-1", "u-1", 150));
        for (int n = 1; n <= full.length(); n++) {
            String segment = full.substring(0, n);
            TokenIds expected = nimbus(segment);
            TokenIds read = read(segment);
            if (expected != null) {
                assertThat(read).as("first %d characters", n).isEqualTo(expected);
            }
        }
        assertThat(read(full)).isEqualTo(new TokenIds("j-1", "o-u-1", "u-1", 1700000000L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"=", "==", "~", "%", "+", "/", "\u00e9", "\u00ff", "\u0141", "\u0161", "\u4e2d",
            "\uD83D\uDE00", "\uD83D", "\uDE00", "\u0000", " "})
    void charactersOutsideTheAlphabet_inLongAndShortSegments_areSkippedAsNimbusSkipsThem(String odd) {
        // \u0141 and \u0161 end in the bytes of 'A' and 'a': a copy that kept only the low byte of each
        // character would read a payload Nimbus does not see.
        for (int length : new int[] {20, 300, 5000}) {
            String segment = encode(json("j-odd", "u-odd", length));
            for (int at : new int[] {0, 1, 2, 5, segment.length() / 2, segment.length() - 1, segment.length()}) {
                String sent = segment.substring(0, at) + odd + segment.substring(at);
                TokenIds expected = nimbus(sent);
                assertThat(read(sent)).as("%s at %d of %d", odd, at, segment.length()).isEqualTo(expected);
            }
        }
    }

    @Test
    void aCharacterBeyondLatin1_thatEndsInAnAlphabetByte_isNeverReadAsThatByte() {
        // The segment decodes to the ids only if the odd character is read as 'A'; Nimbus skips it.
        String segment = encode(json("j-x", "u-x", 400));
        int at = segment.indexOf('A', 10);
        String sent = segment.substring(0, at) + '\u0141' + segment.substring(at + 1);

        assertThat(read(sent)).isEqualTo(nimbus(sent)).isNotEqualTo(read(segment));
    }

    @Test
    void paddingAndInvalidBase64_inALongSegment_readAsNimbusReadsThem() {
        String segment = encode(json("j-pad", "u-pad", 500));
        for (String sent : new String[] {segment + "=", segment + "==", segment + "===", segment + "A",
                segment.substring(0, 200) + "==" + segment.substring(200), segment.replace('A', '+'),
                segment.replace('w', '/'), segment.substring(0, segment.length() - 1)}) {
            assertThat(read(sent)).as(sent).isEqualTo(nimbus(sent));
        }
    }

    @Test
    void paddedSegments_ofEveryLength_whereNoFillingIsNeeded_too_readAsNimbusReadsThem() {
        // A segment of a multiple of 128 characters is decoded without 'A's after it: the decoder
        // then takes its '=' padding as the end, and gives fewer bytes than the length suggests.
        for (int length = 80; length <= 700; length++) {
            String segment = encode(json("j-" + length, "u-" + length, length));
            for (String padding : new String[] {"", "=", "=="}) {
                String sent = segment + padding;
                assertThat(read(sent)).as("%d characters: %s", sent.length(), sent).isEqualTo(nimbus(sent));
            }
        }
    }

    @Test
    void aHugeSegment_isRead_andLeavesTheThreadNoLargerBuffersThanItKeeps() throws Exception {
        String segment = encode(json("j-huge", "u-huge", 300_000));
        String odd = segment.substring(0, 100_000) + "\u00e9" + segment.substring(100_000);

        TokenIds[] read = new TokenIds[3];
        int[] kept = new int[2];
        Thread reader = new Thread(() -> {
            read[0] = read(encode(json("j-small", "u-small", 2000)));
            kept[0] = TokenIds.bufferedChars();
            read[1] = read(segment);
            read[2] = read(odd);
            kept[1] = TokenIds.bufferedChars();
        });
        reader.start();
        reader.join();

        assertThat(read[0]).isEqualTo(new TokenIds("j-small", "o-u-small", "u-small", 1700000000L));
        assertThat(read[1]).isEqualTo(new TokenIds("j-huge", "o-u-huge", "u-huge", 1700000000L));
        assertThat(read[2]).isEqualTo(nimbus(odd)).isEqualTo(read[1]);
        assertThat(kept[0]).isBetween(2000, 4096);
        assertThat(kept[1]).as("the buffers of a 400,000-character segment are not kept").isEqualTo(kept[0]);
    }

    @Test
    void manyThreads_readingAtOnce_eachReadTheirOwnTokens() throws Exception {
        int threads = 8;
        java.util.List<Thread> all = new java.util.ArrayList<>();
        java.util.concurrent.ConcurrentLinkedQueue<String> wrong = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            all.add(new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    String jti = "j-" + me + "-" + i;
                    TokenIds ids = read(encode(json(jti, "u-" + me, 200 + (i % 7) * 300)));
                    if (ids == null || !jti.equals(ids.jti())) {
                        wrong.add(jti + " read as " + ids);
                    }
                }
            }));
        }
        all.forEach(Thread::start);
        for (Thread t : all) {
            t.join();
        }
        assertThat(wrong).isEmpty();
    }
}
