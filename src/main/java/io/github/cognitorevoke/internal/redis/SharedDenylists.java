package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.internal.Denylist;
import java.time.Clock;

/**
 * The way in to the shared tier, free of Lettuce types: it checks that Lettuce is there before any
 * class that needs it is loaded, so that a WAR without it gets a message instead of a
 * {@link NoClassDefFoundError}.
 */
public final class SharedDenylists {

    /** A class every Lettuce 7 jar has. */
    static final String LETTUCE_CLASS = "io.lettuce.core.RedisClient";

    private SharedDenylists() {
    }

    /**
     * Starts the shared tier over a node's cache, waiting for its first sync at most
     * {@code redisSyncTimeout}.
     *
     * @param settings the settings; {@code redisUri} must be set
     * @param clock    the time source of entry ends
     * @param local    this node's cache, which every check reads
     * @return the tier
     * @throws RevocationConfigurationException if Lettuce is not on the library's class path or
     *                                          cannot use the URI
     */
    public static Denylist start(RevocationSettings settings, Clock clock, CaffeineDenylist local) {
        requireLettuce(SharedDenylists.class.getClassLoader());
        return RedisDenylist.start(settings, clock, local);
    }

    /**
     * Fails unless the loader that loaded the library can load Lettuce.
     *
     * @param loader the library's class loader
     * @throws RevocationConfigurationException naming {@code redisUri} and the dependency to add
     */
    static void requireLettuce(ClassLoader loader) {
        try {
            Class.forName(LETTUCE_CLASS, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new RevocationConfigurationException(RevocationSettings.REDIS_URI, "is set, but Lettuce is not on the"
                    + " class path of the application: add the dependency io.lettuce:lettuce-core (7.x) to the WAR"
                    + " (WEB-INF/lib), or remove redisUri to keep the denylist on each node");
        }
    }
}
