package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.internal.Denylist;
import io.github.cognitorevoke.internal.PendingStore;
import java.time.Clock;

/**
 * The way in to the shared tier, free of Lettuce types in its signatures: it checks that Lettuce is
 * there before any class that needs it is loaded, so that a WAR without it gets a message instead of
 * a {@link NoClassDefFoundError}. An {@link io.github.cognitorevoke.internal.Installation} opens one
 * client ({@link #connect}), hands it to the denylist and the pending store, and closes it last.
 */
public final class SharedDenylists {

    /** A class every Lettuce 7 jar has. */
    static final String LETTUCE_CLASS = "io.lettuce.core.RedisClient";

    private SharedDenylists() {
    }

    /**
     * Makes the shared tier's one client, which the denylist and the pending store share; connects
     * nothing yet.
     *
     * @param settings the settings; {@code redisUri} must be set
     * @return the client, to be closed by the caller after the denylist and the store
     * @throws RevocationConfigurationException if Lettuce is not on the library's class path or
     *                                          cannot use the URI
     */
    public static RedisConnections connect(RevocationSettings settings) {
        // Before any class that needs Lettuce is loaded: a WAR without it gets a message.
        requireLettuce(SharedDenylists.class.getClassLoader());
        return RedisConnections.open(settings);
    }

    /**
     * Starts the shared tier over a node's cache, waiting for its first sync at most
     * {@code redisSyncTimeout}.
     *
     * @param settings    the settings; {@code redisUri} must be set
     * @param clock       the time source of entry ends
     * @param local       this node's cache, which every check reads
     * @param connections the client from {@link #connect}
     * @return the tier
     */
    public static Denylist start(RevocationSettings settings, Clock clock, CaffeineDenylist local,
                                 RedisConnections connections) {
        return RedisDenylist.start(settings, clock, local, connections);
    }

    /**
     * The pending store a deployment uses: none without {@code redisUri}; none, and one warning,
     * without {@code redisEncryptionKey}, since refresh tokens are never written to Redis in clear.
     *
     * @param settings    the settings
     * @param clock       the time source for leases and deadlines
     * @param connections the client from {@link #connect}; null without {@code redisUri}
     * @return the store
     */
    public static PendingStore pendingStore(RevocationSettings settings, Clock clock, RedisConnections connections) {
        if (settings.redisServer().isEmpty()) {
            return PendingStore.NONE;
        }
        if (settings.redisEncryptionKey().isEmpty()) {
            System.getLogger("io.github.cognitorevoke").log(System.Logger.Level.WARNING, "cognito-revoke: "
                    + RevocationSettings.REDIS_URI + " is set but " + RevocationSettings.REDIS_ENCRYPTION_KEY
                    + " is not, so no refresh token is written to Redis: a revocation answered 202 stays on the node"
                    + " that accepted it and is lost if that node stops before Cognito confirms it; set "
                    + RevocationSettings.REDIS_ENCRYPTION_KEY + " (openssl rand -base64 32, the same on every node)"
                    + " to let another node finish it");
            return PendingStore.NONE;
        }
        return RedisPendingStore.open(connections, settings, clock);
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
