package io.github.cognitorevoke.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.cognitorevoke.InvalidRequestException;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.TokenType;
import io.github.cognitorevoke.internal.DefaultTokenResolver;
import io.github.cognitorevoke.support.FakeRequest;
import jakarta.servlet.http.Cookie;
import java.util.Optional;

/**
 * Fuzzes {@link DefaultTokenResolver#resolve} with hostile requests (several {@code Authorization}
 * headers in any casing, cookies, query strings, form fields): it returns a value or throws
 * {@link InvalidRequestException}, nothing else, and its message never carries a value from the
 * request (every generated value carries {@link #MARK}, which no message may contain).
 */
class TokenResolverFuzzTest {

    private static final String MARK = "VaLuE7";
    private static final String[] HEADER_NAMES = {"Authorization", "authorization", "AUTHORIZATION", "Cookie", "X-Token", "Transfer-Encoding"};
    private static final String[] CONTENT_TYPES = {"application/x-www-form-urlencoded", "APPLICATION/X-WWW-FORM-URLENCODED ; charset=UTF-8",
        "application/json", "multipart/form-data; boundary=x", ";", ""};
    private static final String[] SCHEMES = {"Bearer ", "bearer ", "BEARER  ", "Bearer", "Bearer\t", "Basic ", "Bearerx ", "", " Bearer "};
    private static final String[] COOKIE_NAMES = {"at", "rt", "AT", "other"};
    private static final String[] QUERIES = {"refresh_token=x", "refresh%5Ftoken=x", "a=1&refresh_token", "REFRESH_TOKEN=x", "x=refresh_token="};
    private static final String[] FIELDS = {"refresh_token", "refresh_token ", "Refresh_Token", "access_token", "x"};

    private static final RevocationSettings WITH_COOKIES = RevocationSettings
            .builder("eu-west-1", "eu-west-1_AbCdEfGhI", "client1")
            .accessTokenCookie("at").refreshTokenCookie("rt").build();
    private static final RevocationSettings WITHOUT_COOKIES = RevocationSettings
            .builder("eu-west-1", "eu-west-1_AbCdEfGhI", "client1").build();

    @FuzzTest(maxDuration = "30s")
    void resolve_anyRequest_valueOrInvalidRequest(FuzzedDataProvider data) {
        check(data);
    }

    static void check(FuzzedDataProvider data) {
        DefaultTokenResolver resolver = new DefaultTokenResolver(data.consumeBoolean() ? WITH_COOKIES : WITHOUT_COOKIES);
        TokenType type = data.consumeBoolean() ? TokenType.ACCESS : TokenType.REFRESH;
        FakeRequest request = new FakeRequest();
        request.method(data.consumeBoolean() ? "POST" : "GET");
        if (data.consumeBoolean()) {
            request.contentType(data.consumeBoolean() ? CONTENT_TYPES[data.consumeInt(0, CONTENT_TYPES.length - 1)] : data.consumeString(40));
            request.contentLength(data.consumeLong(-1, Long.MAX_VALUE));
        }
        int headers = data.consumeInt(0, 4);
        for (int k = 0; k < headers; k++) {
            String name = HEADER_NAMES[data.consumeInt(0, HEADER_NAMES.length - 1)];
            request.header(name, SCHEMES[data.consumeInt(0, SCHEMES.length - 1)] + value(data));
        }
        int cookies = data.consumeInt(0, 4);
        for (int k = 0; k < cookies; k++) {
            String name = data.consumeInt(0, 7) == 0 ? data.consumeString(6) : COOKIE_NAMES[data.consumeInt(0, COOKIE_NAMES.length - 1)];
            try {
                request.cookie(new Cookie(name, value(data)));
            } catch (IllegalArgumentException notACookieName) {
                // a container never hands out such a cookie
            }
        }
        if (data.consumeBoolean()) {
            request.query(data.consumeBoolean() ? QUERIES[data.consumeInt(0, QUERIES.length - 1)] : data.consumeString(20));
        }
        int fields = data.consumeInt(0, 3);
        for (int k = 0; k < fields; k++) {
            String name = data.consumeInt(0, 5) == 0 ? data.consumeString(14) : FIELDS[data.consumeInt(0, FIELDS.length - 1)];
            request.parameter(name, value(data));
        }
        try {
            Optional<String> token = resolver.resolve(request.request(), type);
            assertThat(token).isNotNull();
        } catch (InvalidRequestException e) {
            assertThat(e.getMessage()).as("message of a refusal").doesNotContain(MARK);
        }
    }

    /** A header, cookie or field value: a token, junk around one, or anything, sometimes past 16 KiB. */
    private static String value(FuzzedDataProvider data) {
        String core = switch (data.consumeInt(0, 3)) {
            case 0 -> FuzzTokens.genuine(data);
            case 1 -> FuzzTokens.token(data);
            default -> data.consumeString(40);
        };
        String v = FuzzTokens.junk(data, 3) + core + FuzzTokens.junk(data, 3);
        if (data.consumeInt(0, 15) == 0) {
            v = v + " ".repeat(data.consumeInt(0, 17_000)) + (data.consumeBoolean() ? "x" : "");
        }
        int at = data.consumeInt(0, v.length());
        return v.substring(0, at) + MARK + v.substring(at);
    }
}
