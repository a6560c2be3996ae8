package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where {@link ServerSessionTokens} looks, and what it never does: a request without a caller costs
 * one call; a session is never created; only the container's own request attribute and session are read.
 */
class ServerSessionTokensReadTest {

    /** Shaped like elytron-oidc-client's RefreshableOidcSecurityContext. */
    public static final class Context {
        public String getTokenString() {
            return "access";
        }

        public String getIDTokenString() {
            return "id";
        }

        public String getRefreshToken() {
            return "refresh";
        }
    }

    /** Shaped like the plain OidcSecurityContext of a bearer request: no refresh token getter. */
    public static final class BearerContext {
        public String getTokenString() {
            return "bearer-access";
        }

        public String getIDTokenString() {
            return null;
        }
    }

    private final List<String> calls = new ArrayList<>();

    private HttpServletRequest request(boolean caller, Map<String, Object> attributes, HttpSession session) {
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> {
                    calls.add(m.getName() + (args == null ? "" : "(" + args[0] + ")"));
                    return switch (m.getName()) {
                        case "getUserPrincipal" -> caller ? (Principal) () -> "alice" : null;
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "getSession" -> Boolean.TRUE.equals(args[0]) ? fail() : session;
                        default -> throw new UnsupportedOperationException(m.getName());
                    };
                });
    }

    private static Object fail() {
        throw new AssertionError("a session must never be created");
    }

    private static HttpSession session(Map<String, Object> attributes) {
        return (HttpSession) Proxy.newProxyInstance(ServerSessionTokensReadTest.class.getClassLoader(),
                new Class<?>[] {HttpSession.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void noCaller_oneCall_nothingRead() {
        ServerSessionTokens reader = ServerSessionTokens.with(r -> {
            throw new AssertionError("OpenIdContext asked without a caller");
        });
        assertThat(reader.read(request(false, Map.of(ServerSessionTokens.ELYTRON_CONTEXT, new Context()), null)))
                .isNull();
        assertThat(calls).containsExactly("getUserPrincipal");
    }

    @Test
    void elytronRequestAttribute_readByItsGetters() {
        ServerSessionTokens.Tokens t = ServerSessionTokens.with(null)
                .read(request(true, Map.of(ServerSessionTokens.ELYTRON_CONTEXT, new Context()), null));
        assertThat(t).isEqualTo(new ServerSessionTokens.Tokens("access", "id", "refresh"));
        assertThat(t.toString()).doesNotContain("access", "refresh");
        assertThat(ServerSessionTokens.with(null)
                .read(request(true, Map.of(ServerSessionTokens.ELYTRON_CONTEXT, new BearerContext()), null)))
                .isEqualTo(new ServerSessionTokens.Tokens("bearer-access", null, null));
    }

    @Test
    void elytronSessionAttribute_whenTheRequestHasNone() {
        HttpSession session = session(Map.of(ServerSessionTokens.ELYTRON_CONTEXT, new Context()));
        assertThat(ServerSessionTokens.with(null).read(request(true, new HashMap<>(), session)))
                .isEqualTo(new ServerSessionTokens.Tokens("access", "id", "refresh"));
    }

    @Test
    void openIdContext_onlyWithASession_neverCreatingOne() {
        ServerSessionTokens reader = ServerSessionTokens.with(r -> new ServerSessionTokens.Tokens("a", "i", "r"));
        assertThat(reader.read(request(true, new HashMap<>(), null))).isNull();
        assertThat(calls).contains("getSession(false)").doesNotContain("getSession(true)");
        assertThat(reader.read(request(true, new HashMap<>(), session(Map.of()))))
                .isEqualTo(new ServerSessionTokens.Tokens("a", "i", "r"));
    }

    @Test
    void somethingElseUnderTheName_orNoTokens_isNoSession() {
        assertThat(ServerSessionTokens.with(r -> new ServerSessionTokens.Tokens(null, null, null))
                .read(request(true, Map.of(ServerSessionTokens.ELYTRON_CONTEXT, "not a context"), session(Map.of()))))
                .isNull();
    }
}
