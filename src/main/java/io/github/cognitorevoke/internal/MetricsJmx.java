package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationMetricsMXBean;
import java.util.Hashtable;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers an application's {@link RevocationMetricsMXBean} under
 * {@code io.github.cognitorevoke:type=RevocationMetrics,context=<context path>}. Two applications with
 * the same context path on one server (virtual hosts) get {@code instance=2}, {@code 3}, ... on the
 * second and later. Failing to register is logged, never fatal: metrics must not stop a deployment.
 */
final class MetricsJmx {

    static final String DOMAIN = "io.github.cognitorevoke";
    private static final int MAX_INSTANCES = 100;
    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");

    private MetricsJmx() {
    }

    /**
     * The name for a context path.
     *
     * @param contextPath the servlet context path ({@code ""} for the root context)
     * @param instance    1 for the first application with this path, then 2, 3, ...
     * @return the name
     */
    static ObjectName name(String contextPath, int instance) {
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
     * Registers the metrics.
     *
     * @param server      the MBean server
     * @param contextPath the application's context path
     * @param metrics     the metrics
     * @return the name used, or null if registering failed (logged)
     */
    static ObjectName register(MBeanServer server, String contextPath, RevocationMetricsMXBean metrics) {
        try {
            StandardMBean mbean = new StandardMBean(metrics, RevocationMetricsMXBean.class, true);
            for (int instance = 1; instance <= MAX_INSTANCES; instance++) {
                ObjectName name = name(contextPath, instance);
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
     * Unregisters what {@link #register} registered.
     *
     * @param server the MBean server
     * @param name   the name it returned, or null
     */
    static void unregister(MBeanServer server, ObjectName name) {
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
}
