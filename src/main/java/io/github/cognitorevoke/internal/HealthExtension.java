package io.github.cognitorevoke.internal;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;

/**
 * Adds the MicroProfile Health checks named {@code cognito-revoke} where the server has MicroProfile
 * Health, and nothing where it has not.
 *
 * <p>Why an extension: the library's bean archive is {@code annotated}, and a bean class that
 * implements {@code HealthCheck} would fail to load on a server without MicroProfile Health. This
 * class names no MicroProfile type; {@link HealthChecks} does, and is loaded only after the check.
 * Registered in {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}.
 */
public final class HealthExtension implements Extension {

    static final String HEALTH_CHECK = "org.eclipse.microprofile.health.HealthCheck";

    /** For the CDI container. */
    public HealthExtension() {
    }

    void addHealthChecks(@Observes AfterBeanDiscovery event) {
        if (healthAvailable(HealthExtension.class.getClassLoader())) {
            HealthChecks.addBeans(event);
        }
    }

    /**
     * Tells whether MicroProfile Health is visible to a class loader.
     *
     * @param loader the class loader (the library's)
     * @return whether {@code HealthCheck} can be loaded
     */
    static boolean healthAvailable(ClassLoader loader) {
        try {
            Class.forName(HEALTH_CHECK, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
