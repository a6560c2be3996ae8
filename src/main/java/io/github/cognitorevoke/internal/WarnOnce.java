package io.github.cognitorevoke.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs a warning once per cause; repeats go to DEBUG, so a log is not flooded. With a clock, a
 * cause warns again once it came back after the calls it concerns worked again ({@link #cleared}),
 * but never sooner than {@link #REPEAT_AFTER} after its last warning: a cause that comes and goes
 * with every request (one a client can provoke at will) still logs one WARNING an hour at most.
 * Causes are keys the code chooses (a {@link CognitoError} row, a fixed name), never text from a
 * request or an answer, so their number is bounded.
 */
final class WarnOnce {

    /** The shortest time between two warnings of one cause. */
    static final Duration REPEAT_AFTER = Duration.ofHours(1);

    private record State(Instant warnedAt, boolean cleared) {
    }

    private final System.Logger log;
    private final Clock clock;
    private final Map<String, State> seen = new ConcurrentHashMap<>();

    /** @param log where warnings go; each cause warns once for good */
    WarnOnce(System.Logger log) {
        this(log, null);
    }

    /**
     * @param log   where warnings go
     * @param clock when a cause warned, so that it may warn again after it cleared; null: once for good
     */
    WarnOnce(System.Logger log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    void warn(String cause, String message) {
        Instant now = clock == null ? Instant.EPOCH : clock.instant();
        boolean[] loud = new boolean[1];
        seen.compute(cause, (k, s) -> {
            if (s == null || (clock != null && s.cleared() && !now.isBefore(s.warnedAt().plus(REPEAT_AFTER)))) {
                loud[0] = true;
                return new State(now, false);
            }
            return s;
        });
        log.log(loud[0] ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, message);
    }

    /**
     * The calls of one kind worked again: each of their causes may warn again when it comes back.
     *
     * @param kind the causes' prefix, e.g. {@code cognito} for {@code cognito:THROTTLED}
     */
    void cleared(String kind) {
        if (clock == null || seen.isEmpty()) {
            return;
        }
        String prefix = kind + ":";
        seen.replaceAll((k, s) -> !s.cleared() && k.startsWith(prefix) ? new State(s.warnedAt(), true) : s);
    }
}
