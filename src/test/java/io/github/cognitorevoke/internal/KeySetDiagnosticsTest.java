package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetSourceWrapper;
import com.nimbusds.jose.jwk.source.RefreshAheadCachingJWKSetSource;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.RevocationUnavailableException;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
            RevocationSettings settings = StubSettings.builder(stub, "webclient").jwksUri(jwksUri).build();
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

    @Test
    void engineClosed_keySourceThreadsEnd() throws Exception {
        try (CognitoStub stub = CognitoStub.start()) {
            stub.addClient("webclient", null, true);
            RevocationSettings settings = StubSettings.builder(stub, "webclient").build();
            AccessTokenVerifier verifier = new AccessTokenVerifier(settings, Clock.systemUTC());
            RevocationEngine engine = RevocationEngine.builder(settings).clock(Clock.systemUTC())
                    .verifier(verifier).cognito(new ScriptedCognitoGateway()).build();
            assertThat(verifier.prefetchKeys()).isTrue();
            // The refresh-ahead executor starts its (non-daemon) thread for its first task, some
            // 4.5 minutes after a fetch: start it now instead of waiting.
            Thread refresher = CompletableFuture.supplyAsync(Thread::currentThread,
                    refreshAhead(verifier.keySource()).getExecutorService()).get();

            engine.close();

            await().atMost(Duration.ofSeconds(10)).until(() -> !refresher.isAlive());
        }
    }

    private static RefreshAheadCachingJWKSetSource<?> refreshAhead(Object keySource) {
        JWKSetSource<?> source = ((JWKSetBasedJWKSource<?>) keySource).getJWKSetSource();
        while (!(source instanceof RefreshAheadCachingJWKSetSource<?> r)) {
            source = ((JWKSetSourceWrapper<?>) source).getSource();
        }
        return r;
    }
}
