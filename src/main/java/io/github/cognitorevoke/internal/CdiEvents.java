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
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.time.Clock;
import java.time.Instant;
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
 * <p>A bean of the library (discovered through its {@code beans.xml}); nothing for an application
 * to inject. Without CDI, or without a {@code RevocationFilter}, it does nothing.
 */
@ApplicationScoped
public class CdiEvents {

    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");
    private static final List<Object> SAMPLES = List.of(
            new LogoutEvent(Instant.EPOCH, LogoutResult.Status.COMPLETED, null, false, null, null),
            new SignOutEverywhereEvent(Instant.EPOCH, LogoutResult.Status.COMPLETED, null, "sub"),
            new PendingRevocationEvent(Instant.EPOCH, PendingRevocationEvent.Outcome.COMPLETED, false, 1),
            new TokenRejectedEvent(Instant.EPOCH, "/", null, TokenRejectedEvent.Match.JTI));

    private BeanManager beanManager;
    private ServletContext servletContext;
    private final WarnOnce warnings = new WarnOnce(LOG);
    private RevocationEngine engine;
    private EventPublisher publisher;

    /** For CDI. */
    protected CdiEvents() {
    }

    /**
     * For CDI.
     *
     * @param beanManager    fires the events and tells who observes them
     * @param servletContext where the application's engine is found
     */
    @Inject
    protected CdiEvents(BeanManager beanManager, ServletContext servletContext) {
        this.beanManager = beanManager;
        this.servletContext = servletContext;
    }

    /**
     * Registers the publisher on the application's engine once both exist: CDI may start before or
     * after the library's deployment check builds the engine, depending on the server.
     *
     * @param ignored the container's payload
     */
    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        Bootstrap.whenInstalled(servletContext, this::attach);
    }

    private synchronized void attach(Installation installation) {
        if (engine != null) {
            return;
        }
        try {
            EventPublisher p = new EventPublisher(Clock.systemUTC(), this::delivery);
            if (p.delivers()) {
                engine = installation.engine();
                publisher = p;
                engine.observers().add(p);
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

    private <T> Consumer<T> delivery(Class<T> type) {
        T sample = SAMPLES.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
        Set<ObserverMethod<? super T>> methods = beanManager.resolveObserverMethods(sample);
        boolean sync = methods.stream().anyMatch(m -> !m.isAsync());
        boolean async = methods.stream().anyMatch(ObserverMethod::isAsync);
        if (!sync && !async) {
            return null;
        }
        Event<T> event = beanManager.getEvent().select(type);
        String name = type.getSimpleName();
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
