package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.LogoutEvent;
import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.PendingRevocationEvent;
import io.github.cognitorevoke.SignOutEverywhereEvent;
import io.github.cognitorevoke.TokenRejectedEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Fires the library's events ({@link LogoutEvent}, {@link SignOutEverywhereEvent},
 * {@link PendingRevocationEvent}, {@link TokenRejectedEvent}) as CDI events to the application's
 * observers. When the application starts it finds, once per event type, whether the application
 * has {@code @Observes} and {@code @ObservesAsync} observers of it, and fires it synchronously,
 * asynchronously, both or not at all accordingly: each observer method gets each event once, and an
 * application without observers pays nothing (the publisher is not even registered).
 *
 * <p>A bean of the library (discovered through its {@code beans.xml}), package-private so that an
 * application cannot name it, let alone inject it. Without CDI, or without a {@code RevocationFilter},
 * it does nothing.
 */
@ApplicationScoped
class CdiEvents {

    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");
    private static final List<Object> SAMPLES = List.of(
            new LogoutEvent(Instant.EPOCH, LogoutResult.Status.COMPLETED, null, false, null, null),
            new SignOutEverywhereEvent(Instant.EPOCH, LogoutResult.Status.COMPLETED, null, "sub"),
            new PendingRevocationEvent(Instant.EPOCH, PendingRevocationEvent.Outcome.COMPLETED, false, 1),
            new TokenRejectedEvent(Instant.EPOCH, "/", null, TokenRejectedEvent.Match.JTI));

    private BeanManager beanManager;
    private final WarnOnce warnings = new WarnOnce(LOG);
    private RevocationEngine engine;
    private EventPublisher publisher;

    /** For CDI. */
    protected CdiEvents() {
    }

    /**
     * For CDI.
     *
     * @param beanManager fires the events and tells who observes them
     */
    @Inject
    protected CdiEvents(BeanManager beanManager) {
        this.beanManager = beanManager;
    }

    /**
     * Registers the publisher on the application's engine once both exist, when CDI starts after
     * the library's deployment check built the engine or before it (then it waits for it). WildFly
     * gives the servlet context as the payload (CDI's rule for web applications; an injected one is
     * a proxy that needs an active request); Payara starts CDI before the web module and gives none,
     * so the deployment check calls {@link #attachThroughCdi} as well. Whichever comes first wins.
     *
     * @param payload the container's payload, the servlet context in a web application
     */
    void start(@Observes @Initialized(ApplicationScoped.class) Object payload) {
        if (payload instanceof ServletContext context) {
            Installations.whenInstalled(context, this::attach);
        }
    }

    /**
     * Finds the application's bean through {@code CDI.current()} and registers the publisher on the
     * engine; for the deployment check, which runs outside CDI.
     *
     * @param installation the application's installation
     * @throws IllegalStateException if the application has no CDI container
     */
    static void attachThroughCdi(Installation installation) {
        Instance<CdiEvents> bean = CDI.current().select(CdiEvents.class);
        if (bean.isResolvable()) {
            bean.get().attach(installation);
        }
    }

    /**
     * Registers the publisher on the installation's engine, once; not at all when the application
     * observes none of the events.
     *
     * @param installation the application's installation
     */
    synchronized void attach(Installation installation) {
        if (engine != null) {
            return;
        }
        try {
            List<String> delivered = new ArrayList<>();
            EventPublisher p = new EventPublisher(Clock.systemUTC(), new EventPublisher.Delivery() {
                @Override
                public <T> Consumer<T> to(Class<T> type) {
                    return delivery(type, delivered);
                }
            });
            if (p.delivers()) {
                engine = installation.engine();
                publisher = p;
                engine.observers().add(p);
                LOG.log(System.Logger.Level.INFO, "cognito-revoke: events fired to the application''s observers: {0}",
                        String.join(", ", delivered));
            }
        } catch (RuntimeException e) {
            // Events are a convenience: failing to set them up must not stop the application.
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: CDI events are off, setting them up failed: " + e);
        }
    }

    /** Removes the publisher when the application stops. */
    @PreDestroy
    synchronized void stop() {
        if (engine != null) {
            engine.observers().remove(publisher);
            engine = null;
            publisher = null;
        }
    }

    private <T> Consumer<T> delivery(Class<T> type, List<String> delivered) {
        T sample = SAMPLES.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
        Set<ObserverMethod<? super T>> methods = beanManager.resolveObserverMethods(sample);
        boolean sync = methods.stream().anyMatch(m -> !m.isAsync());
        boolean async = methods.stream().anyMatch(ObserverMethod::isAsync);
        if (!sync && !async) {
            return null;
        }
        Event<T> event = beanManager.getEvent().select(type);
        String name = type.getSimpleName();
        delivered.add(name + (sync && async ? " (sync, async)" : sync ? " (sync)" : " (async)"));
        return e -> {
            // Async first: a throwing synchronous observer must not cost the asynchronous ones their event.
            if (async) {
                event.fireAsync(e).whenComplete((done, failure) -> {
                    if (failure != null) {
                        warnings.warn("async:" + name, "cognito-revoke: an @ObservesAsync observer of "
                                + name + " failed: " + failure);
                    }
                });
            }
            if (sync) {
                event.fire(e); // an exception reaches Observers, which logs it and carries on
            }
        };
    }
}
