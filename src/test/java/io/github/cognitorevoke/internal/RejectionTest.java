package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The table from reason to HTTP: status, OAuth error and the header that goes with it. */
class RejectionTest {

    @ParameterizedTest(name = "{0}: {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "METHOD_NOT_ALLOWED     | 405 | invalid_request         | Allow            | POST",
            "CROSS_SITE             | 403 | access_denied           |                  |",
            "UNSUPPORTED_MEDIA_TYPE | 415 | invalid_request         | Accept-Post      | application/x-www-form-urlencoded",
            "INVALID_REQUEST        | 400 | invalid_request         |                  |",
            "UNSUPPORTED_TOKEN_TYPE | 400 | unsupported_token_type  |                  |",
            "INVALID_GRANT          | 400 | invalid_grant           |                  |",
            "INVALID_TOKEN          | 401 | invalid_token           | WWW-Authenticate | 'Bearer error=\"invalid_token\", error_description=\"why\"'",
            "UNAVAILABLE            | 503 | temporarily_unavailable | Retry-After      | 30",
            "BAD_GATEWAY            | 502 | server_error            |                  |",
    })
    void eachReason_itsStatusErrorAndHeader(Rejection r, int status, String error, String header, String value) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.error()).isEqualTo(error);
        assertThat(r.header()).isEqualTo(header);
        assertThat(r.headerValue("why")).isEqualTo(value);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "plain | plain",
            "say \"no\" | say \\\"no\\\"",
            "back\\slash | back\\\\slash",
    })
    void description_jsonEscaped(String in, String out) {
        assertThat(Rejection.jsonEscape(in)).isEqualTo(out);
    }

    @Test
    void controlCharacter_unicodeEscaped() {
        assertThat(Rejection.jsonEscape("a\nb")).isEqualTo("a\\u000ab");
    }
}
