package io.github.cognitorevoke.support;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.CognitoGateway;
import io.github.cognitorevoke.internal.RevocationEngine;
import io.github.cognitorevoke.testing.CognitoStub;
import java.time.Clock;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * An engine pointed at a Cognito wire stub, as the engine tests build it: {@link StubSettings} for
 * one app client of the stub, the test's clock, and optionally a scripted Cognito instead of the
 * AWS SDK over the wire.
 *
 * <pre>{@code
 * engine = EngineFixture.against(stub).clock(clock).cognito(scripted)
 *         .settings(s -> s.pendingDeadline(Duration.ofHours(6))).build();
 * }</pre>
 *
 * <p>Only settings the test names are set; everything else keeps the library's default.
 */
public final class EngineFixture {

    private final CognitoStub stub;
    private String clientId = StubSettings.CLIENT;
    private Clock clock = Clock.systemUTC();
    private UnaryOperator<RevocationSettings.Builder> tune = UnaryOperator.identity();
    private CognitoGateway cognito;
    private boolean retryInBackground;

    private EngineFixture(CognitoStub stub) {
        this.stub = Objects.requireNonNull(stub, "stub");
    }

    /**
     * @param stub the stub that issues the tokens, serves the key set and (unless {@link #cognito}
     *     replaces it) answers RevokeToken
     * @return a fixture for {@link StubSettings#CLIENT}, on the system clock, calling the stub over the wire
     */
    public static EngineFixture against(CognitoStub stub) {
        return new EngineFixture(stub);
    }

    /**
     * @param clientId the app client (registered with the stub by the test)
     * @return this
     */
    public EngineFixture client(String clientId) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        return this;
    }

    /**
     * @param clock the engine's clock; use the stub's, so tokens are issued and checked on one time line
     * @return this
     */
    public EngineFixture clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * @param tune adds to the settings that point at the stub, after what earlier calls added (so it
     *     may override any of them)
     * @return this
     */
    public EngineFixture settings(UnaryOperator<RevocationSettings.Builder> tune) {
        Objects.requireNonNull(tune, "tune");
        UnaryOperator<RevocationSettings.Builder> before = this.tune;
        this.tune = b -> tune.apply(before.apply(b));
        return this;
    }

    /**
     * @param cognito answers the engine's Cognito calls instead of the stub over the AWS SDK
     * @return this
     */
    public EngineFixture cognito(CognitoGateway cognito) {
        this.cognito = Objects.requireNonNull(cognito, "cognito");
        return this;
    }

    /**
     * Starts the retry thread with the engine; without it, pending work moves only when the test
     * calls {@link RevocationEngine#retryDue()}.
     *
     * @return this
     */
    public EngineFixture retryInBackground() {
        this.retryInBackground = true;
        return this;
    }

    /** @return the settings the engine gets */
    public RevocationSettings settings() {
        return tune.apply(StubSettings.builder(stub, clientId)).build();
    }

    /** @return a new engine; the test closes it */
    public RevocationEngine build() {
        RevocationEngine.Builder b = RevocationEngine.builder(settings()).clock(clock);
        if (cognito != null) {
            b.cognito(cognito);
        }
        if (retryInBackground) {
            b.retryInBackground();
        }
        return b.build();
    }
}
