package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.InvalidTokenException;
import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.LogoutResult.Refusal;
import io.github.cognitorevoke.LogoutResult.Refusal.Reason;
import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.TokenType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Where a logout sends the browser with managed login set: Cognito's {@code /logout} for a browser
 * (no bearer header) when the logout completed or is pending, never for an API client; and which
 * answers count as a logout the user asked for (the load balancer's cookies are expired then).
 */
class ManagedLoginRulesTest {

    private static final String COGNITO = "https://auth.example.com/logout?client_id=c&logout_uri=https%3A%2F%2Fapp%2Fbye";
    private static final LogoutResult COMPLETED = new LogoutResult(Status.COMPLETED, true, Optional.empty());
    private static final LogoutResult PENDING = new LogoutResult(Status.PENDING, true, Optional.empty());

    private final List<String> calls = new ArrayList<>();

    private BiFunction<String, String, LogoutResult> answering(LogoutResult result) {
        return (access, refresh) -> {
            calls.add(access + "," + refresh);
            return result;
        };
    }

    private static LogoutRules.Request browser() {
        return new LogoutRules.Request("POST", false, false, "/app",
                type -> Optional.of(type == TokenType.ACCESS ? "a" : "r"));
    }

    private static LogoutRules.Request api() {
        return new LogoutRules.Request("POST", true, false, "/app",
                type -> Optional.of(type == TokenType.ACCESS ? "a" : "r"));
    }

    @Test
    void browser_completed_toCognito_evenWithLogoutRedirect() {
        LogoutAnswer answer = new LogoutRules(answering(COMPLETED), "/bye", COGNITO).decide(browser());
        assertThat(answer).isEqualTo(new LogoutAnswer.Redirect(COGNITO));
        assertThat(answer.endsSession()).isTrue();
    }

    @Test
    void browser_pending_stillToCognito() {
        assertThat(new LogoutRules(answering(PENDING), null, COGNITO).decide(browser()))
                .isEqualTo(new LogoutAnswer.Redirect(COGNITO));
        assertThat(calls).containsExactly("a,r");
    }

    @Test
    void api_completed_neverToCognito_logoutRedirectOr204() {
        assertThat(new LogoutRules(answering(COMPLETED), null, COGNITO).decide(api())).isEqualTo(new LogoutAnswer.Done());
        assertThat(new LogoutRules(answering(COMPLETED), "/bye", COGNITO).decide(api()))
                .isEqualTo(new LogoutAnswer.Redirect("/app/bye"));
    }

    @Test
    void api_pending_neverToCognito_202() {
        assertThat(new LogoutRules(answering(PENDING), "/bye", COGNITO).decide(api())).isEqualTo(new LogoutAnswer.Pending());
    }

    @Test
    void browser_withoutManagedLogin_asBefore() {
        assertThat(new LogoutRules(answering(COMPLETED), "/bye", null).decide(browser()))
                .isEqualTo(new LogoutAnswer.Redirect("/app/bye"));
        assertThat(new LogoutRules(answering(PENDING), "/bye", null).decide(browser())).isEqualTo(new LogoutAnswer.Pending());
    }

    @Test
    void browser_refusedByCognito_notRedirected() {
        LogoutResult refused = new LogoutResult(Status.REFUSED, true,
                Optional.of(new Refusal(Reason.CLIENT_MISCONFIGURED, "UnauthorizedException", "said no")));
        assertThat(new LogoutRules(answering(refused), null, COGNITO).decide(browser()))
                .isEqualTo(new LogoutAnswer.Refused(Rejection.BAD_GATEWAY, "said no", true));
    }

    @Test
    void browser_forgedToken_notRedirected_butAsked() {
        LogoutAnswer answer = new LogoutRules((a, r) -> {
            throw new InvalidTokenException("forged");
        }, null, COGNITO).decide(browser());
        assertThat(answer).isEqualTo(new LogoutAnswer.Refused(Rejection.INVALID_TOKEN, "forged", false));
        assertThat(answer.asked()).isTrue();
    }

    @Test
    void wrongMethodOrCrossSite_notAsked() {
        LogoutRules rules = new LogoutRules(answering(COMPLETED), null, COGNITO);
        assertThat(rules.decide(new LogoutRules.Request("GET", false, false, "/app", type -> Optional.empty())).asked())
                .isFalse();
        assertThat(rules.decide(new LogoutRules.Request("POST", false, true, "/app", type -> Optional.empty())).asked())
                .isFalse();
        assertThat(calls).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Rejection.class)
    void refusals_askedUnlessMethodOrOrigin(Rejection rejection) {
        assertThat(new LogoutAnswer.Refused(rejection, "x", false).asked())
                .isEqualTo(rejection != Rejection.METHOD_NOT_ALLOWED && rejection != Rejection.CROSS_SITE);
    }

    @Test
    void signOutEverywhere_readsTheAccessTokenOnly_andGoesToCognitoLikeALogout() {
        List<TokenType> read = new ArrayList<>();
        LogoutRules rules = LogoutRules.signOutEverywhere(access -> {
            calls.add(access);
            return PENDING;
        }, null, COGNITO);
        LogoutAnswer answer = rules.decide(new LogoutRules.Request("POST", false, false, "/app", type -> {
            read.add(type);
            return Optional.of("a");
        }));
        assertThat(answer).isEqualTo(new LogoutAnswer.Redirect(COGNITO));
        assertThat(read).containsExactly(TokenType.ACCESS);
        assertThat(calls).containsExactly("a");
    }

    @Test
    void signOutEverywhere_otherMethod_saysSo() {
        assertThat(LogoutRules.signOutEverywhere(a -> COMPLETED, null, null)
                .decide(new LogoutRules.Request("GET", true, false, "", type -> Optional.empty())))
                .isEqualTo(new LogoutAnswer.Refused(Rejection.METHOD_NOT_ALLOWED, "Sign-out everywhere takes POST", false));
    }
}
