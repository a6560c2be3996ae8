package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Checks the settings while the application deploys and builds the application's one engine.
 *
 * <p>Servers create filters lazily (WildFly) or only log a failing {@code Filter.init()} and then
 * serve without the filter (Payara): a bad setting must therefore fail in a
 * {@link ServletContextListener}, which does stop the deployment on both. Registered through
 * {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}, so the WAR needs nothing
 * but the filter in {@code web.xml}.
 */
public final class Bootstrap implements ServletContainerInitializer, ServletContextListener {

    private static final String FILTER_CLASS = "io.github.cognitorevoke.RevocationFilter";
    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");

    // The declared RevocationFilters (name -> init-params), read in onStartup: the Servlet spec forbids a
    // listener added with addListener to call getFilterRegistrations (WildFly and Payara enforce it).
    private Map<String, Map<String, String>> declaredFilters;

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        declaredFilters = revocationFilters(context);
        context.addListener(this);
    }

    private static Map<String, Map<String, String>> revocationFilters(ServletContext context) {
        Map<String, Map<String, String>> filters = new LinkedHashMap<>();
        context.getFilterRegistrations().values().stream()
                .filter(r -> FILTER_CLASS.equals(r.getClassName()))
                .forEach(r -> filters.put(r.getName(), Map.copyOf(r.getInitParameters())));
        return filters;
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Map<String, Map<String, String>> filters =
                declaredFilters != null ? declaredFilters : revocationFilters(context);
        if (filters.isEmpty()) {
            return;
        }
        if (filters.size() > 1) {
            throw new IllegalStateException("cognito-revoke: RevocationFilter is declared more than once ("
                    + String.join(", ", filters.keySet())
                    + "); declare it once and list every logout path in its logoutPaths init-param");
        }
        Map<String, String> initParameters = filters.values().iterator().next();
        try {
            RevocationSettings settings = settings(initParameters);
            Installation installation = install(context, settings);
            LOG.log(System.Logger.Level.INFO, "cognito-revoke: active for {0}", settings);
            installed(context, installation);
        } catch (RevocationConfigurationException e) {
            // Log it as well: some servers report a failed deployment without the cause's message.
            LOG.log(System.Logger.Level.ERROR, "deployment stopped: " + e.getMessage());
            throw e;
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        Installation installation = Installations.remove(event.getServletContext());
        if (installation != null) {
            installation.close();
        }
    }

    /**
     * Builds an application's installation: its engine with everything it needs, its metrics and
     * its health published under the context path.
     *
     * @param context  the servlet context
     * @param settings the settings
     * @return the installation; close it when the application stops
     */
    public static Installation install(ServletContext context, RevocationSettings settings) {
        return Installation.builder(settings).classLoader(context.getClassLoader())
                .published(context.getContextPath()).build();
    }

    /**
     * Makes a filter's own installation the application's, when no deployment check made one (a
     * container that skipped the library's initializer), so that the CDI bean shares it.
     *
     * @param context      the servlet context
     * @param installation the filter's installation
     */
    public static void publish(ServletContext context, Installation installation) {
        if (context != null && Installations.installation(context) == null) {
            installed(context, installation);
        }
    }

    private static void installed(ServletContext context, Installation installation) {
        Installations.put(context, installation);
        try {
            CdiEvents.attachThroughCdi(installation);
        } catch (LinkageError | RuntimeException noCdi) {
            // No CDI here (a plain servlet container, a unit test): no events, nothing else changes.
            LOG.log(System.Logger.Level.DEBUG, "cognito-revoke: no CDI, no events: " + noCdi);
        }
    }

    /**
     * Parses a filter's init-params, resolving {@code ${env:NAME}} and {@code ${sys:name}} from this
     * process's environment and system properties.
     *
     * @param initParameters the init-params by name
     * @return the settings
     * @throws RevocationConfigurationException naming the parameter at fault
     */
    public static RevocationSettings settings(Map<String, String> initParameters) {
        return InitParameters.parse(initParameters, System::getenv, System::getProperty);
    }

    /**
     * Reads a filter's init-params into a map.
     *
     * @param names  the parameter names
     * @param values looks a value up
     * @return the map
     */
    public static Map<String, String> params(Iterable<String> names, java.util.function.UnaryOperator<String> values) {
        Map<String, String> map = new LinkedHashMap<>();
        names.forEach(n -> map.put(n, values.apply(n)));
        return map;
    }
}
