package io.github.cognitorevoke.internal;

import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not a bean, never instantiated: its annotations make Payara enable MicroProfile Health for an
 * application that uses the library. Payara turns health on (and with it the CDI extension that
 * collects the checks) only for archives whose classes carry {@code @Liveness}, {@code @Readiness}
 * or {@code @Startup}, and the library's own checks are synthetic beans ({@link HealthChecks}). A
 * server without MicroProfile Health loads this class all the same: annotations whose types are
 * missing are ignored, and neither is a bean-defining annotation.
 */
@Liveness
@Readiness
final class HealthMarker {

    private HealthMarker() {
    }
}
