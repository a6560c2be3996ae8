package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationHealth;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The running engines whose library classes are these (normally one: the library sits in the WAR's
 * WEB-INF/lib), by context path: the health checks run outside any servlet context and cannot rely
 * on CDI resolving the service from the extension's bean archive (Payara cannot).
 */
public final class ActiveHealth {

    private static final Map<RevocationEngine, String> ACTIVE = new ConcurrentHashMap<>();

    private ActiveHealth() {
    }

    /**
     * Counts an engine in until the returned handle is closed.
     *
     * @param engine      the engine
     * @param contextPath its application's context path
     * @return closes the registration
     */
    static AutoCloseable register(RevocationEngine engine, String contextPath) {
        ACTIVE.put(engine, contextPath.isEmpty() ? "/" : contextPath);
        return () -> ACTIVE.remove(engine);
    }

    /**
     * Returns the health of the running applications that use these library classes: live and ready
     * only if each is (normally there is exactly one).
     *
     * @return the combined health
     * @throws IllegalStateException if no application with a {@code RevocationFilter} runs
     */
    public static RevocationHealth combined() {
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
}
