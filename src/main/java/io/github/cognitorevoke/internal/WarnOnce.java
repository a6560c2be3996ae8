package io.github.cognitorevoke.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Logs a warning once per cause and per engine; repeats go to DEBUG, so a log is not flooded. */
final class WarnOnce {

    private final System.Logger log;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    WarnOnce(System.Logger log) {
        this.log = log;
    }

    void warn(String cause, String message) {
        log.log(seen.add(cause) ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, message);
    }
}
