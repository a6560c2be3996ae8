package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Navigation or script, and where a navigation whose session was revoked goes: never another host. */
class NavigationTest {

    private static HttpServletRequest request(String method, String uri, String query, Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(NavigationTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> uri;
                    case "getQueryString" -> query;
                    case "getContextPath" -> "/app";
                    case "getHeader" -> headers.get((String) args[0]);
                    default -> null;
                });
    }

    private static boolean nav(Map<String, String> headers) {
        return Navigation.isNavigation(request("GET", "/app/x", null, headers));
    }

    @Test
    void secFetchModeDecidesWhenPresent() {
        assertThat(nav(Map.of("Sec-Fetch-Mode", "navigate", "X-Requested-With", "XMLHttpRequest"))).isTrue();
        assertThat(nav(Map.of("Sec-Fetch-Mode", "cors", "Accept", "text/html"))).isFalse();
        assertThat(nav(Map.of("Sec-Fetch-Mode", "same-origin"))).isFalse();
        assertThat(nav(Map.of("Sec-Fetch-Mode", "no-cors"))).isFalse();
    }

    @Test
    void withoutSecFetchMode_xRequestedWithThenAccept() {
        assertThat(nav(Map.of("X-Requested-With", "XMLHttpRequest", "Accept", "text/html"))).isFalse();
        assertThat(nav(Map.of("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"))).isTrue();
        assertThat(nav(Map.of("Accept", "application/json"))).isFalse();
        assertThat(nav(Map.of("Accept", "*/*"))).isFalse();
        assertThat(nav(Map.of())).isFalse();
    }

    @Test
    void again_samePath_queryForGetOnly() {
        assertThat(Navigation.again(request("GET", "/app/orders", "id=7", Map.of()))).isEqualTo("/app/orders?id=7");
        assertThat(Navigation.again(request("POST", "/app/orders", "id=7", Map.of()))).isEqualTo("/app/orders");
        assertThat(Navigation.again(request("GET", "/app/orders", null, Map.of()))).isEqualTo("/app/orders");
    }

    /**
     * The request on which the server's login completed a sign-in carries its authorization response: a
     * single-use code and a state that ends with the session. Sent back there, the login fails (WildFly's
     * Jakarta Security answers 500) instead of starting a new sign-in: the query goes.
     */
    @Test
    void again_withoutAnAuthorizationResponse() {
        assertThat(Navigation.again(request("GET", "/app/page", "code=c0de&state=s7", Map.of()))).isEqualTo("/app/page");
        assertThat(Navigation.again(request("GET", "/app/callback", "state=s7&code=c0de&iss=x", Map.of())))
                .isEqualTo("/app/callback");
        assertThat(Navigation.again(request("GET", "/app/page", "error=access_denied&state=s7", Map.of())))
                .isEqualTo("/app/page");
        // an application's own parameters of those names alone stay
        assertThat(Navigation.again(request("GET", "/app/us", "state=CA", Map.of()))).isEqualTo("/app/us?state=CA");
        assertThat(Navigation.again(request("GET", "/app/x", "code=7&statement=1", Map.of())))
                .isEqualTo("/app/x?code=7&statement=1");
    }

    /** Names end at '=' or '&': bare names and empty parts count as names, longer or shorter ones do not. */
    @Test
    void authorizationResponse_readsEachParametersName() {
        assertThat(Navigation.authorizationResponse("state&code")).isTrue();
        assertThat(Navigation.authorizationResponse("&&state=&&error")).isTrue();
        assertThat(Navigation.authorizationResponse("x=state&y=code")).isFalse(); // values, not names
        assertThat(Navigation.authorizationResponse("states=1&code=2")).isFalse();
        assertThat(Navigation.authorizationResponse("stat=1&codes=2&errors=3&state=4")).isFalse();
        assertThat(Navigation.authorizationResponse("state=a=b&code")).isTrue();
        assertThat(Navigation.authorizationResponse("")).isFalse();
        // many parameters without '=': read once (each name's end is found within the parameter)
        assertThat(Navigation.authorizationResponse("a&".repeat(200_000) + "state&code")).isTrue();
    }

    @Test
    void again_neverAnotherHost() {
        for (String uri : new String[] {"//evil.example/x", "/\\evil.example/x", "\\\\evil.example", "evil.example/x",
                "https://evil.example/", "/app/x\r\nSet-Cookie: a=b", "", null}) {
            assertThat(Navigation.again(request("GET", uri, null, Map.of()))).as(String.valueOf(uri)).isEqualTo("/app/");
        }
        assertThat(Navigation.again(request("GET", "/app/x", "a=1\r\nX: y", Map.of()))).isEqualTo("/app/x");
    }

    /**
     * A container may hand the filter a raw request line's UTF-8 bytes decoded (Jetty does, for the
     * query): U+010D U+010A are CR LF to a container that writes a header's chars as bytes. Nothing
     * but printable ASCII (which is all a request target can be) reaches the Location.
     */
    @Test
    void again_onlyPrintableAscii() {
        assertThat(Navigation.again(request("GET", "/app/x", "a=\u010d\u010aSet-Cookie:a=b", Map.of())))
                .isEqualTo("/app/x");
        assertThat(Navigation.again(request("GET", "/app/\u010d\u010aSet-Cookie:a=b", null, Map.of())))
                .isEqualTo("/app/");
        assertThat(Navigation.again(request("GET", "/app/caf\u00e9", "q=\u00e9", Map.of()))).isEqualTo("/app/");
        assertThat(Navigation.again(request("GET", "/app/caf%C3%A9", "q=%C3%A9", Map.of())))
                .isEqualTo("/app/caf%C3%A9?q=%C3%A9");
    }
}
