package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A payload read from the thread's recorded layout gives what the scanner gives and, where Nimbus
 * reads the payload, what Nimbus gives: checked for every byte of a Cognito-shaped payload replaced by
 * each byte that could change how JSON is read, right after the original was recorded.
 */
class PayloadLayoutTest {

    private static final String COGNITO = "{\"sub\":\"8232315a-abdc-4e54-b2e4-6f2219479f88\","
            + "\"cognito:groups\":[\"eu-west-1_Bench1234_Google\",\"customers\"],"
            + "\"iss\":\"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Bench1234\",\"version\":2,"
            + "\"client_id\":\"benchclient\",\"origin_jti\":\"445be4e4-bd8a-4b1f-a4c8-4a046ea9c00c\","
            + "\"event_id\":\"f3c4a1d2-1111-4e54-b2e4-6f2219479f88\",\"token_use\":\"access\","
            + "\"scope\":\"aws.cognito.signin.user.admin phone openid\",\"auth_time\":1796184879,"
            + "\"exp\":1796188479,\"iat\":1796184879,\"jti\":\"bedafc44-6234-4ae9-a1cb-4452b9589992\","
            + "\"username\":\"google_100000000000000001\"}";

    /** Other shapes: nested objects, a negative and a fractional number, literals, a null id, whitespace, a BOM. */
    private static final String[] OTHERS = {
        "{\"a\":{\"b\":[1,-2.5e3,true,false,null,{\"c\":\"d\"}]},\"sub\":null,\"iat\":-17,"
                + "\"jti\":\"j-1\",\"origin_jti\":\"o-1\",\"x\":\"\",\"auth_time\":5}",
        "{ \"jti\" : \"j-2\" , \"sub\" : \"s\" ,\n\"iat\":0,\"n\":[[]],\"o\":{}}",
        "\u00ef\u00bb\u00bf{\"jti\":\"j-3\",\"sub\":\"\u00e9t\u00e9\",\"origin_jti\":\"\"}",
    };

    private static final byte[] REPLACEMENTS = {'"', '\\', 0x01, 0x1f, '}', ']', '{', '[', ',', ':', '0', '1', '9',
        'a', ' ', '\n', '-', '.', 'e', 'n', (byte) 0xc3, (byte) 0xa9, (byte) 0xff};

    private static String segment(byte[] json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json);
    }

    private static TokenIds read(String segment) {
        return TokenIdsDecodingTest.read(segment);
    }

    /** Nimbus's reading of the payload, auth_time included; null if it refuses it. */
    private static TokenIds nimbus(byte[] payload) {
        TokenIds ids = TokenIdsAttackTest.nimbus(payload);
        if (ids == null) {
            return null;
        }
        try {
            long authTime = TokenIds.authTime(JWTClaimsSet.parse(new String(payload, StandardCharsets.UTF_8)));
            return new TokenIds(ids.jti(), ids.originJti(), ids.sub(), ids.iat(), authTime);
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyByteReplaced_afterTheOriginalWasRecorded_readsAsTheScannerAndNimbusReadIt() {
        List<String> all = new ArrayList<>(List.of(OTHERS));
        all.add(0, COGNITO);
        for (String json : all) {
            byte[] original = json.getBytes(StandardCharsets.ISO_8859_1);
            // A spacer of another length: reading it first makes the next read a scan.
            String spacer = segment((json.substring(0, json.length() - 1) + ",\"pad\":1}").getBytes(StandardCharsets.ISO_8859_1));
            assertThat(read(segment(original))).as(json).isNotNull();
            assertThat(TokenIds.layoutLength()).as("recorded: %s", json).isEqualTo(original.length);
            for (int k = 0; k < original.length; k++) {
                for (byte replacement : REPLACEMENTS) {
                    if (original[k] == replacement) {
                        continue;
                    }
                    byte[] changed = original.clone();
                    changed[k] = replacement;
                    String sent = segment(changed);

                    read(spacer);
                    TokenIds scanned = read(sent);
                    read(segment(original));
                    TokenIds fromLayout = read(sent);

                    String what = "byte " + k + " of " + json + " as 0x" + Integer.toHexString(replacement & 0xff);
                    assertThat(fromLayout).as(what).isEqualTo(scanned);
                    TokenIds nimbus = nimbus(new Base64URL(sent).decode());
                    if (nimbus != null) {
                        assertThat(fromLayout).as(what).isEqualTo(nimbus);
                    }
                }
            }
        }
    }

    @Test
    void aPayloadOfAnotherLength_pastWhereTheScanStopped_isReadFromTheLayout_andNothingBeforeItMayMove() {
        String longer = COGNITO.replace("google_100000000000000001", "a-much-longer-user-name-of-another-length")
                .replace("bedafc44", "cafebabe");
        read(segment(COGNITO.getBytes(StandardCharsets.ISO_8859_1)));

        TokenIds ids = read(segment(longer.getBytes(StandardCharsets.ISO_8859_1)));

        assertThat(ids).isEqualTo(nimbus(longer.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(ids.jti()).startsWith("cafebabe");
        assertThat(TokenIds.layoutLength()).as("read from the recorded layout").isEqualTo(COGNITO.length());

        // A claim before jti one byte longer: the scan reads it, and its layout replaces the recorded one.
        String shifted = COGNITO.replace("\"version\":2", "\"version\":22");
        assertThat(read(segment(shifted.getBytes(StandardCharsets.ISO_8859_1))))
                .isEqualTo(nimbus(shifted.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(TokenIds.layoutLength()).isEqualTo(shifted.length());
    }

    @Test
    void theByteAfterANumberTheScanEndedOn_isCompared_inPayloadsOfTheSameAndOfAnotherLength() {
        // iat is the last of the five claims here: the scan stops after its digits, having read the
        // byte after them. An exponent there makes it another number, which Nimbus reads.
        String recorded = "{\"jti\":\"j-1\",\"sub\":\"s\",\"origin_jti\":\"o\",\"auth_time\":1,\"iat\":1796184879,\"x\":\"aaaa\"}";
        String exponent = recorded.replace("1796184879,\"x\":\"aaaa\"", "1796184879e1,\"x\":\"aa\"");
        for (String sent : new String[] {exponent, exponent.replace("aa\"}", "aaaaaaaaa\"}")}) {
            read(segment(recorded.getBytes(StandardCharsets.ISO_8859_1)));

            TokenIds ids = read(segment(sent.getBytes(StandardCharsets.ISO_8859_1)));

            assertThat(ids).as(sent).isEqualTo(nimbus(sent.getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(ids.iat()).isEqualTo(17961848790L);
        }
    }

    @Test
    void aTimeReadLast_isReadWithTheByteAfterIt_whichTheScannerLooksAt() {
        // The scan stops after the fifth id, here iat; to end its digits it looked at the byte after them.
        String recorded = "{\"jti\":\"j\",\"origin_jti\":\"o\",\"sub\":\"s\",\"auth_time\":1,\"iat\":1700000000,\"pad\":\"xxxx\"}";
        String[] followers = {
            "{\"jti\":\"j\",\"origin_jti\":\"o\",\"sub\":\"s\",\"auth_time\":1,\"iat\":17000000001,\"pad\":\"xxx\"}",
            "{\"jti\":\"j\",\"origin_jti\":\"o\",\"sub\":\"s\",\"auth_time\":1,\"iat\":1700000000e1,\"pad\":\"xx\"}",
            "{\"jti\":\"j\",\"origin_jti\":\"o\",\"sub\":\"s\",\"iat\":1,\"auth_time\":1700000000E1,\"pad\":\"xx\"}",
        };
        for (String follower : followers) {
            String first = follower.contains("\"auth_time\":17") ? recorded.replace("\"auth_time\":1,\"iat\":", "\"iat\":1,\"auth_time\":")
                    : recorded;
            assertThat(first).hasSameSizeAs(follower);
            String sent = segment(follower.getBytes(StandardCharsets.ISO_8859_1));
            read(segment(first.getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(TokenIds.layoutLength()).as("recorded: %s", first).isEqualTo(first.length());

            TokenIds ids = read(sent);

            assertThat(ids).as(follower).isEqualTo(nimbus(new Base64URL(sent).decode()));
        }
    }

    private static final String[] NAMES = {"jti", "origin_jti", "sub", "iat", "auth_time", "x", "scope", "n"};
    private static final String[] NUMBERS = {"0", "7", "-3", "1700000000", "12345678", "123456789012345", "1e5", "1e55",
        "-2.5E+3", "0.125", "1.5e-2", "99999999999999999"};
    /** Bytes that change how JSON reads, and ordinary ones. */
    private static final byte[] EDITS = {'"', '\\', 0x01, 0x1f, '}', ']', '{', '[', ',', ':', '0', '1', '5', '9', 'a', 'z',
        ' ', '\n', '-', '+', '.', 'e', 'E', 'n', 't', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, (byte) 0xef};

    private static String value(Random random, String name, int depth) {
        int pick = random.nextInt(10);
        boolean time = name.equals("iat") || name.equals("auth_time");
        boolean id = name.equals("jti") || name.equals("origin_jti") || name.equals("sub");
        if (time && pick < 8 || !id && pick < 3) {
            return NUMBERS[random.nextInt(NUMBERS.length)];
        }
        if (pick == 9) {
            return random.nextBoolean() ? "null" : "true";
        }
        if (!id && depth < 3 && pick >= 7) {
            StringBuilder out = new StringBuilder(random.nextBoolean() ? "[" : "{");
            boolean object = out.charAt(0) == '{';
            for (int k = random.nextInt(3); k > 0; k--) {
                out.append(object ? "\"" + NAMES[random.nextInt(NAMES.length)] + "\":" : "")
                        .append(value(random, "x", depth + 1)).append(k > 1 ? "," : "");
            }
            return out.append(object ? '}' : ']').toString();
        }
        StringBuilder text = new StringBuilder("\"");
        for (int k = random.nextInt(id ? 12 : 6); k > 0; k--) {
            text.append("ab-09Z\u00e9".charAt(random.nextInt(7)));
        }
        return text.append('"').toString();
    }

    /** A random object, with ids and other names in any order, whitespace at times, padded to at least MIN_BYTES. */
    private static byte[] randomPayload(Random random) {
        StringBuilder json = new StringBuilder(random.nextInt(8) == 0 ? "\u00ef\u00bb\u00bf{" : "{");
        String gap = random.nextInt(4) == 0 ? " " : "";
        List<String> names = new ArrayList<>(List.of(NAMES));
        // Half of them with all five ids, after the last of which the scan stops.
        java.util.Collections.shuffle(names.subList(random.nextBoolean() ? 5 : 0, names.size()), random);
        java.util.Collections.shuffle(names.subList(0, 5 + random.nextInt(4)), random);
        for (String name : names.subList(0, 3 + random.nextInt(names.size() - 3))) {
            json.append(gap).append('"').append(name).append("\":").append(gap).append(value(random, name, 0)).append(',');
        }
        json.append("\"pad\":\"").append("p".repeat(Math.max(0, PayloadLayout.MIN_BYTES - json.length()))).append("\"}");
        return json.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The payload with one to four edits that keep its length: a byte replaced (mostly a digit or
     * letter, which lies in a region), the byte that ends a run of digits or letters or its first one
     * replaced, or a
     * byte moved, shifting those between.
     */
    private static byte[] edited(Random random, byte[] original) {
        byte[] out = original.clone();
        int n = out.length;
        for (int e = 1 + random.nextInt(4); e > 0; e--) {
            int at = random.nextInt(n - 1);
            for (int tries = 0; tries < 8 && random.nextInt(4) != 0 && !Character.isLetterOrDigit(out[at]); tries++) {
                at = random.nextInt(n - 1);
            }
            byte edit = EDITS[random.nextInt(EDITS.length)];
            switch (random.nextInt(4)) {
                case 0 -> out[at] = edit;
                case 1 -> {
                    while (at < n - 2 && Character.isLetterOrDigit(out[at])) {
                        at++;
                    }
                    out[at] = edit;
                }
                case 2 -> {
                    while (at > 0 && Character.isLetterOrDigit(out[at - 1])) {
                        at--;
                    }
                    out[at] = edit;
                }
                default -> {
                    int to = at + 1 + random.nextInt(Math.min(16, n - 1 - at));
                    System.arraycopy(out, at, out, at + 1, to - at - 1); // drops out[to - 1]
                    out[at] = edit;
                }
            }
        }
        return out;
    }

    @Test
    void randomPairs_aPayloadRecordedThenOneWithSeveralEdits_readAsTheScannerAndNimbusReadIt() {
        Random random = new Random(20240611L);
        String[] spacers = {segment("{\"spacer\":\"0123456789012345678901\"}".getBytes(StandardCharsets.ISO_8859_1)),
            segment("{\"spacer\":\"01234567890123456789012\"}".getBytes(StandardCharsets.ISO_8859_1))};
        int fromLayout = 0;
        for (int pair = 0; pair < 40_000; pair++) {
            byte[] original = randomPayload(random);
            byte[] changed = edited(random, original);
            String sent = segment(changed);
            String spacer = spacers[original.length == 36 ? 1 : 0];

            read(spacer);
            TokenIds scanned = read(sent);
            read(segment(original));
            boolean recorded = TokenIds.layoutLength() == original.length;
            TokenIds layout = read(sent);

            String what = new String(original, StandardCharsets.ISO_8859_1) + " then "
                    + new String(changed, StandardCharsets.ISO_8859_1);
            assertThat(layout).as(what).isEqualTo(scanned);
            TokenIds nimbus = nimbus(changed);
            if (nimbus != null) {
                assertThat(layout).as(what).isEqualTo(nimbus);
            }
            fromLayout += recorded && layout != null && !java.util.Arrays.equals(original, changed) ? 1 : 0;
        }
        // Many pairs have the original recorded and an answer for the edited one, nearly all by a scan
        // after a miss: edits keep the structure rarely. That the layout itself answers, the tests of
        // values changed alone and of another length show.
        assertThat(fromLayout).as("pairs read after the original was recorded").isGreaterThan(2_000);
    }

    @Test
    void aPayloadDifferingOnlyInItsValues_isReadFromTheLayout_withItsOwnIds() {
        String other = COGNITO.replace("bedafc44-6234-4ae9-a1cb-4452b9589992", "00000000-1111-2222-3333-444444444444")
                .replace("8232315a", "aaaaaaaa").replace("1796184879", "1796180000");
        read(segment(COGNITO.getBytes(StandardCharsets.ISO_8859_1)));

        TokenIds ids = read(segment(other.getBytes(StandardCharsets.ISO_8859_1)));

        assertThat(ids).isEqualTo(new TokenIds("00000000-1111-2222-3333-444444444444",
                "445be4e4-bd8a-4b1f-a4c8-4a046ea9c00c", "aaaaaaaa-abdc-4e54-b2e4-6f2219479f88", 1796180000L, 1796180000L));
        assertThat(ids.jtiKey()).isEqualTo(CaffeineDenylist.hash(ids.jti()));
        assertThat(ids.subKey()).isEqualTo(CaffeineDenylist.hash(ids.sub()));
        assertThat(TokenIds.layoutPayload()).as("read from the layout: a scan would have recorded it")
                .isEqualTo(COGNITO.getBytes(StandardCharsets.ISO_8859_1));
    }
}
