package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationMetricsMXBean;
import java.lang.management.ManagementFactory;
import java.util.Hashtable;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Publishes an application's {@link RevocationMetrics} while it runs: over JMX always, as
 * {@code io.github.cognitorevoke:type=RevocationMetrics,context=<context path>}, and as Micrometer
 * meters where Micrometer is on the application's class path ({@link MicrometerExport}, loaded only
 * then). Made at deployment, closed when the application stops, so nothing of it outlives the
 * application's class loader. Two applications with the same context path on one server (virtual
 * hosts) get {@code instance=2}, {@code 3}, ... on the second and later. Failing to publish is
 * logged, never fatal: metrics must not stop a deployment.
 */
final class MetricsExport implements AutoCloseable {

    static final String DOMAIN = "io.github.cognitorevoke";
    static final String MICROMETER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
    // A name, not a class literal: the class is loaded only once Micrometer is known to be there.
    static final String MICROMETER_EXPORT = "io.github.cognitorevoke.internal.MicrometerExport";
    private static final int MAX_INSTANCES = 100;
    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");

    /** An export to a metrics library that may be absent; its class is loaded only once it is there. */
    interface Binding {

        /**
         * Registers the metrics.
         *
         * @param metrics     the metrics
         * @param contextPath the application's context path, as a tag
         * @return removes what was registered; null if nothing was
         */
        AutoCloseable bind(RevocationMetrics metrics, String contextPath);
    }

    private final MBeanServer server;
    private final ObjectName name;
    private final AutoCloseable micrometer;

    private MetricsExport(MBeanServer server, ObjectName name, AutoCloseable micrometer) {
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
    static MetricsExport start(String contextPath, RevocationMetrics metrics) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = registerMBean(server, contextPath, metrics);
        return new MetricsExport(server, name, micrometer(contextPath, metrics, MetricsExport.class.getClassLoader()));
    }

    /**
     * The MBean's name for a context path.
     *
     * @param contextPath the servlet context path ({@code ""} for the root context)
     * @param instance    1 for the first application with this path, then 2, 3, ...
     * @return the name
     */
    static ObjectName mbeanName(String contextPath, int instance) {
        String context = contextPath == null || contextPath.isEmpty() ? "/" : contextPath;
        Hashtable<String, String> keys = new Hashtable<>();
        keys.put("type", "RevocationMetrics");
        keys.put("context", needsQuotes(context) ? ObjectName.quote(context) : context);
        if (instance > 1) {
            keys.put("instance", Integer.toString(instance));
        }
        try {
            return new ObjectName(DOMAIN, keys);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("context path " + context, e);
        }
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (",=:\"*?\n\\".indexOf(value.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Registers the metrics as an MXBean.
     *
     * @param server      the MBean server
     * @param contextPath the application's context path
     * @param metrics     the metrics
     * @return the name used, or null if registering failed (logged)
     */
    static ObjectName registerMBean(MBeanServer server, String contextPath, RevocationMetricsMXBean metrics) {
        try {
            StandardMBean mbean = new StandardMBean(metrics, RevocationMetricsMXBean.class, true);
            for (int instance = 1; instance <= MAX_INSTANCES; instance++) {
                ObjectName name = mbeanName(contextPath, instance);
                try {
                    server.registerMBean(mbean, name);
                    return name;
                } catch (InstanceAlreadyExistsException e) {
                    // another application with this context path (another virtual host): next instance
                }
            }
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: metrics for context {0} not registered over JMX:"
                    + " {1} applications already use that name", contextPath, MAX_INSTANCES);
        } catch (JMException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: metrics for context " + contextPath
                    + " not registered over JMX: " + e);
        }
        return null;
    }

    /**
     * Unregisters what {@link #registerMBean} registered.
     *
     * @param server the MBean server
     * @param name   the name it returned, or null
     */
    static void unregisterMBean(MBeanServer server, ObjectName name) {
        if (name == null) {
            return;
        }
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // already gone
        } catch (JMException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: could not unregister " + name + ": " + e);
        }
    }

    /** Binds to Micrometer if the class loader sees it; {@link MicrometerExport} is loaded only then. */
    static AutoCloseable micrometer(String contextPath, RevocationMetrics metrics, ClassLoader loader) {
        try {
            Class.forName(MICROMETER_REGISTRY, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        try {
            Binding binding = (Binding) Class.forName(MICROMETER_EXPORT, true, loader)
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
        unregisterMBean(server, name);
        if (micrometer != null) {
            try {
                micrometer.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "cognito-revoke: removing the Micrometer meters failed: " + e);
            }
        }
    }
}
