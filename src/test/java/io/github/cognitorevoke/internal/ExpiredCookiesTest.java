package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.Cookie;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Set-Cookies of a logout, as browsers need them to drop each cookie. */
class ExpiredCookiesTest {

    /** Each expected cookie as {@code path secure}, several separated by {@code ;}. */
    @ParameterizedTest(name = "{0} over HTTPS {1}, context {2}: {3}")
    @CsvSource({
            "__Host-AT,   false, /app, / true",
            "__Host-AT,   true,  /app, / true",
            "__Secure-RT, false, /app, /app true",
            "__Secure-RT, true,  '',   / true",
            "AT,          false, /app, /app false; /app true",
            "AT,          true,  /app, /app true",
            "AT,          false, '',   / false; / true",
    })
    void prefixAndScheme_pathAndSecureAsBrowsersRequire(String name, boolean https, String contextPath,
                                                         String expected) {
        List<String> out = new ExpiredCookies(Set.of(name)).forResponse(contextPath, https).stream()
                .map(c -> c.getPath() + " " + c.getSecure()).toList();
        assertThat(out).containsExactly(expected.split(" *; *"));
    }

    @Test
    void everyCookie_emptyMaxAgeZeroHttpOnly() {
        List<Cookie> out = new ExpiredCookies(Set.of("AT", "__Host-RT", "__Secure-X")).forResponse("", false);
        assertThat(out).hasSize(4).allSatisfy(c -> {
            assertThat(c.getValue()).isEmpty();
            assertThat(c.getMaxAge()).isZero();
            assertThat(c.isHttpOnly()).isTrue();
        });
        assertThat(out).extracting(Cookie::getName).containsOnly("AT", "__Host-RT", "__Secure-X");
    }

    @Test
    void noCookiesConfigured_nothingExpired() {
        assertThat(new ExpiredCookies(Set.of()).forResponse("/app", false)).isEmpty();
    }
}
