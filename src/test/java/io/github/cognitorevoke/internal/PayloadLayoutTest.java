package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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
    void theByteAfterANumberTheScanEndedOn_isCompared_asTheScannerReadsIt() {
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
    void aPayloadDifferingOnlyInItsValues_isReadFromTheLayout_withItsOwnIds() {
        String other = COGNITO.replace("bedafc44-6234-4ae9-a1cb-4452b9589992", "00000000-1111-2222-3333-444444444444")
                .replace("8232315a", "aaaaaaaa").replace("1796184879", "1796180000");
        read(segment(COGNITO.getBytes(StandardCharsets.ISO_8859_1)));

        TokenIds ids = read(segment(other.getBytes(StandardCharsets.ISO_8859_1)));

        assertThat(ids).isEqualTo(new TokenIds("00000000-1111-2222-3333-444444444444",
                "445be4e4-bd8a-4b1f-a4c8-4a046ea9c00c", "aaaaaaaa-abdc-4e54-b2e4-6f2219479f88", 1796180000L, 1796180000L));
        assertThat(ids.jtiKey()).isEqualTo(CaffeineDenylist.hash(ids.jti()));
        assertThat(ids.subKey()).isEqualTo(CaffeineDenylist.hash(ids.sub()));
        assertThat(TokenIds.layoutLength()).isEqualTo(COGNITO.length());
    }
}
