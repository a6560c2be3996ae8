package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The scanner's word-at-a-time paths: keys compared as whole words, and ids checked eight bytes a
 * step for their closing quote, a backslash, a control character and bytes beyond ASCII. Each case
 * puts what is tested at every position of an 8-byte word (a filler claim in front shifts the id)
 * and at the very end of the payload, and is checked against Nimbus's reading.
 */
class TokenIdsScannerTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static TokenIds read(String json) {
        return TokenIds.peek(B64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(json.getBytes(StandardCharsets.UTF_8)) + ".c2ln");
    }

    /** Nimbus's reading, auth_time included; null if it refuses the payload. */
    private static TokenIds nimbus(String json) {
        TokenIds ids = TokenIdsAttackTest.nimbus(json.getBytes(StandardCharsets.UTF_8));
        if (ids == null) {
            return null;
        }
        try {
            long authTime = TokenIds.authTime(com.nimbusds.jwt.JWTClaimsSet.parse(json));
            return new TokenIds(ids.jti(), ids.originJti(), ids.sub(), ids.iat(), authTime);
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    /** A filler claim of {@code shift} extra characters in front: the next claim starts {@code shift} bytes later. */
    private static String filler(int shift) {
        return "\"f\":\"" + "x".repeat(shift) + "\",";
    }

    @Test
    void keysOfTheFiveClaims_andEveryNearMiss_readAsNimbusReadsThem() {
        String[] names = {"jti", "sub", "iat", "origin_jti", "auth_time"};
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (String name : names) {
            keys.add(name);
            keys.add(name.substring(1)); // one shorter
            keys.add(name.substring(0, name.length() - 1));
            keys.add(name + "x"); // one longer
            keys.add("x" + name);
            for (int k = 0; k < name.length(); k++) {
                // One character changed at each position, including a case change and a quote-like byte.
                keys.add(name.substring(0, k) + (char) (name.charAt(k) ^ 0x20) + name.substring(k + 1));
                keys.add(name.substring(0, k) + '#' + name.substring(k + 1));
                keys.add(name.substring(0, k) + "\\u00" + Integer.toHexString(name.charAt(k)) + name.substring(k + 1));
            }
        }
        for (String key : keys) {
            for (int shift = 0; shift < 8; shift++) {
                for (String value : new String[] {"\"v-1\"", "1700000000"}) {
                    // The key in the middle of the payload, and as its last claim.
                    for (String json : new String[] {
                            "{" + filler(shift) + "\"" + key + "\":" + value + ",\"sub\":\"s\"}",
                            "{\"sub\":\"s\"," + filler(shift) + "\"" + key + "\":" + value + "}"}) {
                        if (json.indexOf("\"sub\"") != json.lastIndexOf("\"sub\"")) {
                            continue; // a duplicate: covered elsewhere
                        }
                        assertThat(read(json)).as(json).isEqualTo(nimbus(json));
                    }
                }
            }
        }
    }

    @Test
    void controlCharacterInAnId_atEveryPositionOfEveryLength_refusesThePayload_asNimbusDoes() {
        for (char control : new char[] {0x00, 0x01, '\t', '\n', 0x1f}) {
            for (int length = 1; length <= 80; length++) {
                for (int at = 0; at < length; at++) {
                    String id = "a".repeat(at) + control + "b".repeat(length - at - 1);
                    for (int shift = 0; shift < 8; shift++) {
                        String json = "{" + filler(shift) + "\"jti\":\"" + id + "\",\"sub\":\"s\"}";
                        assertThat(nimbus(json)).as(json).isNull();
                        assertThat(read(json)).as(json).isNull();
                    }
                }
            }
        }
    }

    @Test
    void charactersJustAboveControl_andAfterTheClosingQuote_areNoControlCharacters() {
        for (int length = 0; length <= 80; length++) {
            for (int shift = 0; shift < 8; shift++) {
                // Space, DEL and '!' in the id; control characters only outside strings (whitespace)
                // right after its closing quote, in the same 8-byte word.
                String id = " \u007f!".repeat(length / 3 + 1).substring(0, length);
                String json = "{" + filler(shift) + "\"jti\":\"" + id + "\"\t\n ,\"sub\":\"s\"}";
                TokenIds expected = nimbus(json);
                assertThat(expected).as(json).isNotNull();
                assertThat(read(json)).as(json).isEqualTo(expected);
            }
        }
    }

    @Test
    void bytesBeyondAscii_atEveryPositionOfEveryLength_decodedAsUtf8() {
        for (String wide : new String[] {"\u00e9", "\u20ac", "\uD83D\uDE00"}) {
            for (int length = 1; length <= 80; length++) {
                for (int at = 0; at < length; at++) {
                    String id = "a".repeat(at) + wide + "b".repeat(length - at - 1);
                    for (int shift = 0; shift < 8; shift++) {
                        String json = "{" + filler(shift) + "\"jti\":\"" + id + "\",\"sub\":\"s\"}";
                        TokenIds ids = read(json);
                        assertThat(ids).as(json).isEqualTo(nimbus(json));
                        assertThat(ids.jtiKey()).as(json).isEqualTo(CaffeineDenylist.hash(id));
                    }
                }
            }
        }
    }

    @Test
    void asciiIdsOfEveryLength_followedByBytesBeyondAscii_areReadAsAscii() {
        for (int length = 0; length <= 80; length++) {
            for (int shift = 0; shift < 8; shift++) {
                // What follows the closing quote in the same word is not part of the id.
                String id = "0123456789".repeat(9).substring(0, length);
                String json = "{" + filler(shift) + "\"jti\":\"" + id + "\",\"\u00e9\u00e9\u00e9\":\"\u20ac\",\"sub\":\"s\"}";
                TokenIds ids = read(json);
                assertThat(ids).as(json).isEqualTo(nimbus(json));
                assertThat(ids.jti()).isEqualTo(id);
                assertThat(ids.jtiKey()).as(json).isEqualTo(CaffeineDenylist.hash(id));
            }
        }
    }

    @Test
    void unterminatedOrEscapedIds_atEveryLength_readAsNimbusReadsThem() {
        for (int length = 0; length <= 80; length++) {
            String id = "z".repeat(length);
            for (String json : new String[] {
                    "{\"sub\":\"s\",\"jti\":\"" + id, // no closing quote, no closing brace
                    "{\"sub\":\"s\",\"jti\":\"" + id + "}",
                    "{\"sub\":\"s\",\"jti\":\"" + id + "\\\"q\"}",
                    "{\"sub\":\"s\",\"jti\":\"" + id + "\\u0041\"}"}) {
                assertThat(read(json)).as(json).isEqualTo(nimbus(json));
            }
        }
    }
}
