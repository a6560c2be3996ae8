package io.github.cognitorevoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.LogoutResult.Refusal;
import io.github.cognitorevoke.LogoutResult.Refusal.Reason;
import io.github.cognitorevoke.LogoutResult.Status;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogoutResultTest {

    @ParameterizedTest(name = "{0} {1} denylisted={2}: endsSession={3}")
    @CsvSource({
            "COMPLETED, , false, true", "COMPLETED, , true, true", "PENDING, , false, true",
            "REFUSED, NOT_A_REFRESH_TOKEN, false, false", "REFUSED, MALFORMED_TOKEN, false, false",
            "REFUSED, TOKEN_NOT_ACCEPTED, false, false", "REFUSED, TOKEN_NOT_ACCEPTED, true, true",
            "REFUSED, CLIENT_MISCONFIGURED, false, true", "REFUSED, CLIENT_MISCONFIGURED, true, true"})
    void endsSession_onlyAClientFaultRefusalWithNothingDenylisted_keepsTheSession(Status status, Reason reason,
                                                                                 boolean denylisted, boolean ends) {
        Optional<Refusal> refusal = Optional.ofNullable(reason).map(r -> new Refusal(r, "SomeException", "described"));
        assertThat(new LogoutResult(status, denylisted, refusal).endsSession()).isEqualTo(ends);
    }
}
