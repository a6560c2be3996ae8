package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.RevocationUnavailableException;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A key set that cannot be fetched is answered 503 every time and warned once, naming the URL and the cause. */
class KeySetDiagnosticsTest {

    @Test
    void unreachableKeySet_everyAttemptUnavailable_oneWarningNamingUrlAndCause_noToken() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String jwksUri = "http://127.0.0.1:" + closedPort + "/pool/.well-known/jwks.json";
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger jul = Logger.getLogger(AccessTokenVerifier.class.getName());
        jul.addHandler(handler);
        try (CognitoStub stub = CognitoStub.start()) {
            stub.addClient("webclient", null, true);
            StubTokens t = stub.login("webclient", "alice");
            RevocationSettings settings = RevocationSettings.builder(stub.region(), stub.userPoolId(), "webclient")
                    .endpoint(stub.endpoint().toString()).issuer(stub.issuer()).jwksUri(jwksUri).build();
            AccessTokenVerifier verifier = new AccessTokenVerifier(settings, Clock.systemUTC());
            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(() -> verifier.verify(t.accessToken()))
                        .as("attempt %d", i).isInstanceOf(RevocationUnavailableException.class);
            }
            assertThat(warnings).hasSize(1);
            String message = warnings.get(0).getMessage();
            assertThat(message).contains(jwksUri).contains("Connection refused").doesNotContain(t.accessToken());
        } finally {
            jul.removeHandler(handler);
        }
    }
}
