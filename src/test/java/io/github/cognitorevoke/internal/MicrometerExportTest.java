package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.TokenRejectedEvent;
import io.github.cognitorevoke.support.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The same metrics as Micrometer meters, and nothing where Micrometer is absent. */
class MicrometerExportTest {

    private final TestClock clock = TestClock.atNow();
    private final Instant admitted = clock.instant();
    private final RevocationMetrics metrics = new RevocationMetrics(() -> 4, () -> 2, () -> admitted, clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void bind_registersCountersAndGauges_taggedWithTheContext() throws Exception {
        MicrometerExport.bind(metrics, "/shop", registry);
        metrics.loggedOut(new LogoutResult(Status.PENDING, true, Optional.empty()), "s", "j");
        metrics.rejected("/x", "s", TokenRejectedEvent.Match.ORIGIN_JTI);
        metrics.cognitoCalled(false, new CognitoGateway.Done(), Duration.ofMillis(40).toNanos());
        clock.advance(Duration.ofSeconds(12));

        assertThat(registry.get("cognito.revoke.logouts").tags("outcome", "pending", "context", "/shop")
                .functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("cognito.revoke.logouts").tag("outcome", "completed").functionCounter().count())
                .isZero();
        assertThat(registry.get("cognito.revoke.rejections").tag("match", "origin_jti").functionCounter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("cognito.revoke.cognito.calls").tag("outcome", "done").functionCounter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("cognito.revoke.denylist.entries").gauge().value()).isEqualTo(4.0);
        assertThat(registry.get("cognito.revoke.pending").gauge().value()).isEqualTo(2.0);
        assertThat(registry.get("cognito.revoke.pending.oldest.age").timeGauge().value(TimeUnit.SECONDS))
                .isEqualTo(12.0);
        assertThat(registry.get("cognito.revoke.cognito.latency").tag("quantile", "0.99").timeGauge()
                .value(TimeUnit.MILLISECONDS)).isEqualTo(40.0);
    }

    @Test
    void close_removesEveryMeter() throws Exception {
        AutoCloseable binding = MicrometerExport.bind(metrics, "/shop", registry);
        assertThat(registry.getMeters()).hasSize(23);

        binding.close();

        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void twoContexts_inOneRegistry_doNotCollide() {
        RevocationMetrics other = new RevocationMetrics(() -> 9, () -> 0, () -> null, clock);
        MicrometerExport.bind(metrics, "/shop", registry);
        MicrometerExport.bind(other, "", registry);

        assertThat(registry.get("cognito.revoke.denylist.entries").tag("context", "/shop").gauge().value())
                .isEqualTo(4.0);
        assertThat(registry.get("cognito.revoke.denylist.entries").tag("context", "/").gauge().value())
                .isEqualTo(9.0);
    }

    @Test
    void export_whereMicrometerIsOnTheClassPath_bindsToTheGlobalRegistryOutsideCdi() throws Exception {
        AutoCloseable binding = MetricsExport.micrometer("/global", metrics, getClass().getClassLoader());
        try {
            assertThat(binding).isNotNull();
            assertThat(io.micrometer.core.instrument.Metrics.globalRegistry.find("cognito.revoke.pending")
                    .tag("context", "/global").meters()).hasSize(1);
        } finally {
            binding.close();
        }
        assertThat(io.micrometer.core.instrument.Metrics.globalRegistry.find("cognito.revoke.pending")
                .tag("context", "/global").meters()).isEmpty();
    }

    @Test
    void export_whereMicrometerIsAbsent_bindsNothing_andLoadsNoMicrometerClass() {
        ClassLoader withoutMicrometer = new ClassLoader(null) { };

        assertThat(MetricsExport.micrometer("/shop", metrics, withoutMicrometer)).isNull();
    }
}
