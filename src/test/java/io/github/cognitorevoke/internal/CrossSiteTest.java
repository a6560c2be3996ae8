package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cross-site judgement over header values; a blank cell is an absent header. */
class CrossSiteTest {

    @ParameterizedTest(name = "Sec-Fetch-Site {0}, Origin {1}: cross-site {2}")
    @CsvSource({
            "same-origin, https://evil.example, false",
            "SAME-ORIGIN, , false",
            "none, , false",
            "same-site, https://app.example, true",
            "cross-site, https://app.example, true",
            "garbage, , true",
    })
    void secFetchSite_decidesAlone_originIgnored(String site, String origin, boolean cross) {
        assertThat(CrossSite.judge(site, origin, "app.example", null)).isEqualTo(cross);
    }

    @ParameterizedTest(name = "Origin {0}, Host {1}: cross-site {2}")
    @CsvSource({
            "https://app.example, app.example, false",
            "https://APP.example, app.example, false",
            "https://app.example:443, app.example, false",
            "https://app.example, app.example:443, false",
            "http://app.example:80, app.example, false",
            "http://app.example:8080, app.example:8080, false",
            "https://app.example, ' app.example ', false",
            "https://evil.example, app.example, true",
            "https://app.example:8443, app.example, true",
            "http://app.example:443, app.example:80, true",
            "https://app.example.evil.example, app.example, true",
    })
    void originWithoutSecFetchSite_comparedWithHost(String origin, String host, boolean cross) {
        assertThat(CrossSite.judge(null, origin, host, null)).isEqualTo(cross);
    }

    @ParameterizedTest(name = "Origin {0}: opaque, cross-site")
    @CsvSource({"null", "app.example", "://app.example", "https://", "https://app.example/path"})
    void opaqueOrMalformedOrigin_crossSite(String origin) {
        assertThat(CrossSite.judge(null, origin, "app.example", null)).isTrue();
    }

    @ParameterizedTest(name = "Origin {0}, X-Forwarded-Host {1}: cross-site {2}")
    @CsvSource({
            "https://app.example, app.example, false",
            "https://app.example, app.example:443, false",
            "https://evil.example, app.example, true",
    })
    void originBehindProxy_matchesForwardedHost(String origin, String forwardedHost, boolean cross) {
        assertThat(CrossSite.judge(null, origin, "backend:8080", forwardedHost)).isEqualTo(cross);
    }

    @Test
    void originWithoutAnyHost_crossSite() {
        assertThat(CrossSite.judge(null, "https://app.example", null, null)).isTrue();
    }

    @ParameterizedTest(name = "no Sec-Fetch-Site, no Origin: not judged")
    @CsvSource(value = {"app.example", "NULL"}, nullValues = "NULL")
    void neitherHeader_notJudged(String host) {
        assertThat(CrossSite.judge(null, null, host, null)).isFalse();
    }
}
