package io.github.cognitorevoke.internal;

import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The application's {@link Installation}, kept in its servlet context, and the actions waiting for
 * it (CDI may start before or after the deployment check, depending on the server).
 */
public final class Installations {

    /** The servlet-context attribute that holds the application's {@link Installation}. */
    public static final String ATTRIBUTE = Installation.class.getName();
    /** The servlet-context attribute that holds the actions waiting for the installation. */
    private static final String WAITING = ATTRIBUTE + ".waiting";

    private Installations() {
    }

    /**
     * Returns the application's installation, if one was made.
     *
     * @param context the servlet context
     * @return the installation or null
     */
    public static Installation installation(ServletContext context) {
        return context == null ? null : (Installation) context.getAttribute(ATTRIBUTE);
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
     * Keeps the application's installation and runs the actions that waited for it.
     *
     * @param context      the servlet context
     * @param installation the installation
     */
    static void put(ServletContext context, Installation installation) {
        context.setAttribute(ATTRIBUTE, installation);
        List<Consumer<Installation>> waiting;
        synchronized (Installations.class) {
            @SuppressWarnings("unchecked")
            List<Consumer<Installation>> w = (List<Consumer<Installation>>) context.getAttribute(WAITING);
            waiting = w;
            context.removeAttribute(WAITING);
        }
        if (waiting != null) {
            waiting.forEach(action -> action.accept(installation));
        }
    }

    /**
     * Forgets the application's installation when it stops.
     *
     * @param context the servlet context
     * @return the installation, to be closed, or null
     */
    static Installation remove(ServletContext context) {
        Installation i = installation(context);
        if (i != null) {
            context.removeAttribute(ATTRIBUTE);
        }
        return i;
    }

    /**
     * Runs an action with the application's installation: now if it exists, else as soon as it is made.
     *
     * @param context the servlet context
     * @param action  what to do with the installation; it must not throw
     */
    static void whenInstalled(ServletContext context, Consumer<Installation> action) {
        Installation now;
        synchronized (Installations.class) {
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
}
