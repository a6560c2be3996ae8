package io.github.cognitorevoke.internal;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * An application's metrics, published while it runs: over JMX always, through Micrometer where
 * Micrometer is on the application's class path. Made at deployment, closed when the application
 * stops, so nothing of it outlives the application's class loader.
 */
final class Telemetry implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");
    static final String MICROMETER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
    static final String MICROMETER_BINDING = "io.github.cognitorevoke.internal.MicrometerMetrics";

    private final MBeanServer server;
    private final ObjectName name;
    private final AutoCloseable micrometer;

    private Telemetry(MBeanServer server, ObjectName name, AutoCloseable micrometer) {
        this.server = server;
        this.name = name;
        this.micrometer = micrometer;
    }

    /**
     * Publishes an application's metrics.
     *
     * @param contextPath the application's context path
     * @param metrics     its metrics
     * @return what to close when the application stops
     */
    static Telemetry start(String contextPath, RevocationMetrics metrics) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = MetricsJmx.register(server, contextPath, metrics);
        return new Telemetry(server, name, micrometer(contextPath, metrics, Telemetry.class.getClassLoader()));
    }

    /** @return the JMX name the metrics were registered under, or null */
    ObjectName objectName() {
        return name;
    }

    /** Binds to Micrometer if the class loader sees it; the binding class is loaded only then. */
    static AutoCloseable micrometer(String contextPath, RevocationMetrics metrics, ClassLoader loader) {
        try {
            Class.forName(MICROMETER_REGISTRY, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        try {
            MetricsBinding binding = (MetricsBinding) Class.forName(MICROMETER_BINDING, true, loader)
                    .getDeclaredConstructor().newInstance();
            return binding.bind(metrics, contextPath);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: Micrometer is present but its meters could not"
                    + " be registered: " + e);
            return null;
        }
    }

    @Override
    public void close() {
        MetricsJmx.unregister(server, name);
        if (micrometer != null) {
            try {
                micrometer.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "cognito-revoke: removing the Micrometer meters failed: " + e);
            }
        }
    }
}
