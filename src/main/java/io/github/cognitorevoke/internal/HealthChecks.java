package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationHealth;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The MicroProfile Health checks, as synthetic beans: a liveness and a readiness check, both named
 * {@code cognito-revoke}, over the running application's {@code TokenRevocationService.health()}
 * ({@link ActiveHealth#combined()}). Loaded only by
 * {@link HealthExtension} once MicroProfile Health is known to be present; no class of the library
 * implements {@code HealthCheck} (the checks are lambdas), so nothing fails to load without it.
 */
final class HealthChecks {

    /** The name of both checks. */
    static final String NAME = "cognito-revoke";

    private HealthChecks() {
    }

    static void addBeans(AfterBeanDiscovery event) {
        add(event, Liveness.Literal.INSTANCE, "liveness", RevocationHealth::live);
        add(event, Readiness.Literal.INSTANCE, "readiness", RevocationHealth::ready);
    }

    private static void add(AfterBeanDiscovery event, Annotation kind, String id, Predicate<RevocationHealth> up) {
        event.addBean()
                .beanClass(HealthChecks.class)
                .id(HealthChecks.class.getName() + "." + id)
                .types(HealthCheck.class, Object.class)
                .qualifiers(kind, Any.Literal.INSTANCE)
                .scope(Dependent.class)
                // Not through the CDI service: Payara resolves a synthetic bean's lookups in the
                // extension's bean archive, which does not see the library's beans.
                .createWith(creation -> check(ActiveHealth::combined, up));
    }

    /**
     * A check over a health source.
     *
     * @param health the state, read on every call; an {@link IllegalStateException} means the
     *               application declares no {@code RevocationFilter}: nothing to check, reported UP
     * @param up     which part of the state the check reports
     * @return the check
     */
    static HealthCheck check(Supplier<RevocationHealth> health, Predicate<RevocationHealth> up) {
        return () -> {
            RevocationHealth h;
            try {
                h = health.get();
            } catch (IllegalStateException e) {
                return new HealthCheckResponse(NAME, HealthCheckResponse.Status.UP,
                        Optional.of(Map.of("detail", "not active: the application declares no RevocationFilter")));
            }
            return new HealthCheckResponse(NAME, up.test(h) ? HealthCheckResponse.Status.UP
                    : HealthCheckResponse.Status.DOWN, Optional.of(Map.of("detail", h.detail())));
        };
    }
}
