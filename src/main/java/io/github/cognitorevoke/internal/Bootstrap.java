package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationHealth;
import io.github.cognitorevoke.RevocationSettings;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

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

    /** The servlet-context attribute that holds the application's {@link Installation}. */
    public static final String ATTRIBUTE = Installation.class.getName();
    /** The servlet-context attribute that holds the application's published metrics ({@code MetricsExport}). */
    static final String TELEMETRY_ATTRIBUTE = MetricsExport.class.getName();
    private static final String FILTER_CLASS = "io.github.cognitorevoke.RevocationFilter";
    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");
    /** The servlet-context attribute that holds the actions waiting for the installation. */
    private static final String WAITING = ATTRIBUTE + ".waiting";
    // The running engines whose library classes are these (normally one: the library sits in the WAR's
    // WEB-INF/lib), by context path: the health checks run outside any servlet context and cannot rely
    // on CDI resolving the service from the extension's bean archive (Payara cannot).
    private static final Map<RevocationEngine, String> ACTIVE = new ConcurrentHashMap<>();

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
            Installation installation = Installation.create(settings, context.getClassLoader());
            context.setAttribute(ATTRIBUTE, installation);
            context.setAttribute(TELEMETRY_ATTRIBUTE,
                    MetricsExport.start(context.getContextPath(), installation.engine().metrics()));
            ACTIVE.put(installation.engine(), context.getContextPath().isEmpty() ? "/" : context.getContextPath());
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
        if (event.getServletContext().getAttribute(TELEMETRY_ATTRIBUTE) instanceof MetricsExport t) {
            event.getServletContext().removeAttribute(TELEMETRY_ATTRIBUTE);
            t.close();
        }
        Object installation = event.getServletContext().getAttribute(ATTRIBUTE);
        if (installation instanceof Installation i) {
            ACTIVE.remove(i.engine());
            event.getServletContext().removeAttribute(ATTRIBUTE);
            i.engine().close();
        }
    }

    /**
     * Returns the health of the running applications that use these library classes: live and ready
     * only if each is (normally there is exactly one).
     *
     * @return the combined health
     * @throws IllegalStateException if no application with a {@code RevocationFilter} runs
     */
    public static RevocationHealth activeHealth() {
        Map<String, RevocationHealth> each = new TreeMap<>();
        ACTIVE.forEach((engine, contextPath) -> each.put(contextPath, engine.health()));
        if (each.isEmpty()) {
            throw new IllegalStateException("no application with a RevocationFilter runs");
        }
        if (each.size() == 1) {
            return each.values().iterator().next();
        }
        return new RevocationHealth(each.values().stream().allMatch(RevocationHealth::live),
                each.values().stream().allMatch(RevocationHealth::ready),
                each.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().detail())
                        .collect(Collectors.joining("; ")));
    }

    /**
     * Returns the application's engine.
     *
     * @param context the application's servlet context
     * @return the engine
     * @throws IllegalStateException if the application declares no {@code RevocationFilter}
     */
    public static RevocationEngine engine(ServletContext context) {
        Installation i = installation(context);
        if (i == null) {
            throw new IllegalStateException("cognito-revoke: TokenRevocationService needs the settings of a"
                    + " RevocationFilter declared in web.xml; this application declares none, or its container"
                    + " skipped the library's ServletContainerInitializer and the filter has not been"
                    + " initialised yet (it is on its first request)");
        }
        return i.engine();
    }

    /**
     * Makes a filter's own installation the application's, when no deployment check made one (a
     * container that skipped the library's initializer), so that the CDI bean shares it.
     *
     * @param context      the servlet context
     * @param installation the filter's installation
     */
    public static void publish(ServletContext context, Installation installation) {
        if (context != null && context.getAttribute(ATTRIBUTE) == null) {
            context.setAttribute(ATTRIBUTE, installation);
            installed(context, installation);
        }
    }

    /**
     * Runs an action with the application's installation: now if it exists, else as soon as it is
     * made (CDI may start before or after the deployment check, depending on the server).
     *
     * @param context the servlet context
     * @param action  what to do with the installation; it must not throw
     */
    public static void whenInstalled(ServletContext context, Consumer<Installation> action) {
        Installation now;
        synchronized (Bootstrap.class) {
            now = installation(context);
            if (now == null) {
                @SuppressWarnings("unchecked")
                List<Consumer<Installation>> waiting = (List<Consumer<Installation>>) context.getAttribute(WAITING);
                if (waiting == null) {
                    waiting = new ArrayList<>();
                    context.setAttribute(WAITING, waiting);
                }
                waiting.add(action);
                return;
            }
        }
        action.accept(now);
    }

    private static void installed(ServletContext context, Installation installation) {
        List<Consumer<Installation>> waiting;
        synchronized (Bootstrap.class) {
            @SuppressWarnings("unchecked")
            List<Consumer<Installation>> w = (List<Consumer<Installation>>) context.getAttribute(WAITING);
            waiting = w;
            context.removeAttribute(WAITING);
        }
        if (waiting != null) {
            waiting.forEach(action -> action.accept(installation));
        }
        try {
            CdiEvents.attachThroughCdi(installation);
        } catch (LinkageError | RuntimeException noCdi) {
            // No CDI here (a plain servlet container, a unit test): no events, nothing else changes.
            LOG.log(System.Logger.Level.DEBUG, "cognito-revoke: no CDI, no events: " + noCdi);
        }
    }

    /**
     * Returns the application's installation, if the deployment check made one.
     *
     * @param context the servlet context
     * @return the installation or null
     */
    public static Installation installation(ServletContext context) {
        return context == null ? null : (Installation) context.getAttribute(ATTRIBUTE);
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
