package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.RevocationHealth;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The MicroProfile Health checks over the service's health, and when the extension adds them. */
class HealthChecksTest {

    @Test
    void liveness_whileTheWorkerRuns_isUp_andReadiness_beforeTheKeys_isDown() {
        RevocationHealth health = new RevocationHealth(true, false, "retry worker running; signing keys not fetched");

        HealthCheckResponse live = HealthChecks.check(() -> health, RevocationHealth::live).call();
        HealthCheckResponse ready = HealthChecks.check(() -> health, RevocationHealth::ready).call();

        assertThat(live.getName()).isEqualTo("cognito-revoke");
        assertThat(live.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(ready.getName()).isEqualTo("cognito-revoke");
        assertThat(ready.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(ready.getData().orElseThrow()).containsEntry("detail", health.detail());
    }

    @Test
    void check_inAnApplicationWithoutTheFilter_isUp_andSaysNotActive() {
        HealthCheckResponse r = HealthChecks.check(() -> {
            throw new IllegalStateException("no RevocationFilter");
        }, RevocationHealth::ready).call();

        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(r.getData().orElseThrow().get("detail").toString()).startsWith("not active");
    }

    @Test
    void healthAvailable_followsWhetherTheClassLoaderSeesMicroProfileHealth() {
        assertThat(HealthExtension.healthAvailable(getClass().getClassLoader())).isTrue();
        assertThat(HealthExtension.healthAvailable(new ClassLoader(null) { })).isFalse();
    }
}
