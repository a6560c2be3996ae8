package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.InvalidRequestException;
import io.github.cognitorevoke.InvalidTokenException;
import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.LogoutResult.Refusal;
import io.github.cognitorevoke.LogoutResult.Refusal.Reason;
import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.RevocationUnavailableException;
import io.github.cognitorevoke.TokenType;
import io.github.cognitorevoke.UnsupportedMediaTypeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The logout rules' answers, with tokens and the service's result given by the test. */
class LogoutRulesTest {

    private static final LogoutResult COMPLETED = new LogoutResult(Status.COMPLETED, true, Optional.empty());

    /** Which tokens the service was called with; empty if it was not called. */
    private final List<String> calls = new ArrayList<>();

    private BiFunction<String, String, LogoutResult> answering(LogoutResult result) {
        return (access, refresh) -> {
            calls.add(access + "," + refresh);
            return result;
        };
    }

    private BiFunction<String, String, LogoutResult> throwing(RuntimeException e) {
        return (access, refresh) -> {
            calls.add(access + "," + refresh);
            throw e;
        };
    }

    private static Function<TokenType, Optional<String>> tokens(String access, String refresh) {
        return type -> Optional.ofNullable(type == TokenType.ACCESS ? access : refresh);
    }

    private static LogoutRules.Request post(boolean bearer, boolean crossSite,
                                            Function<TokenType, Optional<String>> tokens) {
        return new LogoutRules.Request("POST", bearer, crossSite, "/app", tokens);
    }

    private static LogoutResult refused(Reason reason, boolean accessTokenDenylisted) {
        return new LogoutResult(Status.REFUSED, accessTokenDenylisted,
                Optional.of(new Refusal(reason, "SomeCognitoError", "said no")));
    }

    @Test
    void completed_withoutRedirect_doneAndSessionEnds() {
        LogoutAnswer answer = new LogoutRules(answering(COMPLETED), null).decide(post(true, false, tokens("a", "r")));
        assertThat(answer).isEqualTo(new LogoutAnswer.Done());
        assertThat(answer.endsSession()).isTrue();
        assertThat(calls).containsExactly("a,r");
    }

    @Test
    void completed_withContextRelativeRedirect_redirectUnderContextPath() {
        LogoutAnswer answer = new LogoutRules(answering(COMPLETED), "/bye").decide(post(true, false, tokens("a", null)));
        assertThat(answer).isEqualTo(new LogoutAnswer.Redirect("/app/bye"));
        assertThat(answer.endsSession()).isTrue();
    }

    @Test
    void completed_withRelativeRedirect_redirectAsWritten() {
        assertThat(new LogoutRules(answering(COMPLETED), "bye.html").decide(post(true, false, tokens("a", null))))
                .isEqualTo(new LogoutAnswer.Redirect("bye.html"));
    }

    @Test
    void pending_pendingAndSessionEnds() {
        LogoutResult pending = new LogoutResult(Status.PENDING, true, Optional.empty());
        LogoutAnswer answer = new LogoutRules(answering(pending), "/bye").decide(post(true, false, tokens("a", "r")));
        assertThat(answer).isEqualTo(new LogoutAnswer.Pending());
        assertThat(answer.endsSession()).isTrue();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "NOT_A_REFRESH_TOKEN, UNSUPPORTED_TOKEN_TYPE",
            "TOKEN_NOT_ACCEPTED, INVALID_GRANT",
            "MALFORMED_TOKEN, INVALID_REQUEST",
            "CLIENT_MISCONFIGURED, BAD_GATEWAY",
    })
    void refusedByCognito_refusedWithItsRejection(Reason reason, Rejection rejection) {
        assertThat(new LogoutRules(answering(refused(reason, false)), null).decide(post(false, false, tokens(null, "r"))))
                .isEqualTo(new LogoutAnswer.Refused(rejection, "said no", reason == Reason.CLIENT_MISCONFIGURED));
    }

    @Test
    void refusedByCognito_afterAccessTokenDenylisted_sessionEndsAllTheSame() {
        LogoutAnswer answer = new LogoutRules(answering(refused(Reason.TOKEN_NOT_ACCEPTED, true)), null)
                .decide(post(true, false, tokens("a", "r")));
        assertThat(answer).isEqualTo(new LogoutAnswer.Refused(Rejection.INVALID_GRANT, "said no", true));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"GET", "PUT", "post"})
    void notPost_methodNotAllowed_nothingResolvedOrCalled(String method) {
        LogoutAnswer answer = new LogoutRules(answering(COMPLETED), null)
                .decide(new LogoutRules.Request(method, true, false, "", failIfAsked()));
        assertThat(answer).isEqualTo(new LogoutAnswer.Refused(Rejection.METHOD_NOT_ALLOWED, "Logout takes POST", false));
        assertThat(calls).isEmpty();
    }

    @Test
    void crossSite_withoutBearerHeader_refusedBeforeTokensAreRead() {
        LogoutAnswer answer = new LogoutRules(answering(COMPLETED), null).decide(post(false, true, failIfAsked()));
        assertThat(answer).isInstanceOfSatisfying(LogoutAnswer.Refused.class, r -> {
            assertThat(r.rejection()).isEqualTo(Rejection.CROSS_SITE);
            assertThat(r.endsSession()).isFalse();
        });
        assertThat(calls).isEmpty();
    }

    @Test
    void crossSite_withBearerHeader_notJudged() {
        assertThat(new LogoutRules(answering(COMPLETED), null).decide(post(true, true, tokens("a", null))))
                .isEqualTo(new LogoutAnswer.Done());
    }

    static Stream<Arguments> resolverFailures() {
        return Stream.of(
                Arguments.of(new UnsupportedMediaTypeException("JSON is not read"),
                        Rejection.UNSUPPORTED_MEDIA_TYPE, "JSON is not read"),
                Arguments.of(new InvalidRequestException("two headers"), Rejection.INVALID_REQUEST, "two headers"),
                // The container could not parse the request: its message is not the client's business.
                Arguments.of(new IllegalStateException("form too large"), Rejection.INVALID_REQUEST,
                        "The request cannot be read"),
                Arguments.of(new IllegalArgumentException("bad cookie"), Rejection.INVALID_REQUEST,
                        "The request cannot be read"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("resolverFailures")
    void resolverThrows_refusedByItsRejection_nothingCalled(RuntimeException e, Rejection rejection,
                                                            String description) {
        LogoutAnswer answer = new LogoutRules(answering(COMPLETED), null).decide(post(false, false, type -> {
            throw e;
        }));
        assertThat(answer).isEqualTo(new LogoutAnswer.Refused(rejection, description, false));
        assertThat(calls).isEmpty();
    }

    @Test
    void serviceSaysNoToken_invalidRequest() {
        assertThat(new LogoutRules(throwing(new InvalidRequestException("no token")), null)
                .decide(post(false, false, tokens(null, null))))
                .isEqualTo(new LogoutAnswer.Refused(Rejection.INVALID_REQUEST, "no token", false));
        assertThat(calls).containsExactly("null,null");
    }

    @Test
    void accessTokenFailsVerification_invalidToken_sessionStays() {
        assertThat(new LogoutRules(throwing(new InvalidTokenException("expired")), null)
                .decide(post(true, false, tokens("a", "r"))))
                .isEqualTo(new LogoutAnswer.Refused(Rejection.INVALID_TOKEN, "expired", false));
    }

    @Test
    void serviceUnavailable_unavailable_sessionStays() {
        assertThat(new LogoutRules(throwing(new RevocationUnavailableException("keys")), null)
                .decide(post(true, false, tokens("a", "r"))))
                .isEqualTo(new LogoutAnswer.Refused(Rejection.UNAVAILABLE, "keys", false));
    }

    private static Function<TokenType, Optional<String>> failIfAsked() {
        return type -> {
            throw new AssertionError("tokens read for " + type);
        };
    }
}
