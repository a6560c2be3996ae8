package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.TokenResolver;
import io.github.cognitorevoke.internal.redis.RedisConnections;
import io.github.cognitorevoke.internal.redis.SharedDenylists;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * What one application runs: its engine and the token resolver its filter uses, with all that they
 * need (the shared tier's client, the published metrics, the health registration). The one place
 * that builds them ({@link #builder}) and closes them ({@link #close()}), whether the deployment
 * check or the filter's fallback asks.
 */
public final class Installation implements AutoCloseable {

    private final RevocationEngine engine;
    private final TokenResolver resolver;
    // Closed first to last: what was made after the engine, the engine (which closes its parts), the shared client.
    private final Deque<AutoCloseable> resources;

    private Installation(RevocationEngine engine, TokenResolver resolver, Deque<AutoCloseable> resources) {
        this.engine = engine;
        this.resolver = resolver;
        this.resources = resources;
    }

    /**
     * An installation over an engine built elsewhere (benchmarks, tests); it closes only the engine.
     *
     * @param engine   the engine
     * @param resolver the filter's token resolver
     */
    public Installation(RevocationEngine engine, TokenResolver resolver) {
        this(engine, resolver, new ArrayDeque<>(List.of(engine)));
    }

    /**
     * Starts building the installation of a deployment.
     *
     * @param settings the settings
     * @return a builder
     */
    public static Builder builder(RevocationSettings settings) {
        return new Builder(settings);
    }

    /** @return the engine shared by the filter and the CDI service */
    public RevocationEngine engine() {
        return engine;
    }

    /** @return where the filter takes tokens from */
    public TokenResolver resolver() {
        return resolver;
    }

    /** Releases everything, in the reverse order of building: nothing of it outlives the application. */
    @Override
    public void close() {
        AutoCloseable next;
        while ((next = resources.pollFirst()) != null) {
            try {
                next.close();
            } catch (Exception e) {
                System.getLogger("io.github.cognitorevoke").log(System.Logger.Level.WARNING,
                        "cognito-revoke: closing " + next.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }

    /**
     * Builds an installation: Caffeine denylist (shared through Redis when {@code redisUri} is set),
     * Nimbus verifier, SDK client, system clock.
     */
    public static final class Builder {
        private final RevocationSettings settings;
        private ClassLoader classLoader;
        private String contextPath;
        private AwsCredentialsProvider credentials;

        private Builder(RevocationSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /**
         * @param classLoader loads a custom {@link TokenResolver}; default the thread's context class loader
         * @return this builder
         */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = classLoader;
            return this;
        }

        /**
         * @param credentials signs the administrator's calls to Cognito (reading the app client,
         *                    signing a user out by username); default the AWS SDK's default chain
         * @return this builder
         */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * Publishes the metrics (JMX, and Micrometer where present) and the health of the application
         * while it runs.
         *
         * @param contextPath the application's context path
         * @return this builder
         */
        public Builder published(String contextPath) {
            this.contextPath = Objects.requireNonNull(contextPath, "contextPath");
            return this;
        }

        /**
         * Builds everything the settings call for; the shared tier waits for its first sync at most
         * {@code redisSyncTimeout}.
         *
         * @return the installation; close it when the application stops
         * @throws RevocationConfigurationException if the custom resolver cannot be made,
         *         {@code redisUri} is set and Lettuce is not on the class path, or the app client (read
         *         where AWS credentials are available) has token revocation switched off or does not
         *         allow the configured {@code logoutUri}
         */
        public Installation build() {
            TokenResolver resolver = settings.tokenResolver()
                    .map(name -> instantiate(name, classLoader))
                    .orElseGet(() -> new DefaultTokenResolver(settings));
            Clock clock = Clock.systemUTC();
            CaffeineDenylist local = new CaffeineDenylist(clock);
            // Only with redisUri is a Lettuce class ever loaded; the gate checks that Lettuce is there first.
            RedisConnections redis = settings.redisUri().isPresent() ? SharedDenylists.connect(settings) : null;
            RevocationEngine engine;
            try {
                Denylist denylist = redis == null ? local : SharedDenylists.start(settings, clock, local, redis);
                engine = RevocationEngine.builder(settings).clock(clock).denylist(denylist)
                        .verifier(new AccessTokenVerifier(settings, clock)).cognito(credentials == null ? new SdkCognitoGateway(settings) : new SdkCognitoGateway(settings, credentials))
                        .pendingStore(SharedDenylists.pendingStore(settings, clock, redis)).retryInBackground().build();
            } catch (RuntimeException | Error e) {
                // A failed deployment does not leave the shared client (its event loops) running.
                if (redis != null) {
                    redis.close();
                }
                throw e;
            }
            try {
                // At deployment, never on a request's path: where credentials allow, the app client is read.
                engine.readAppClient();
            } catch (RuntimeException | Error e) {
                engine.close();
                if (redis != null) {
                    redis.close();
                }
                throw e;
            }
            if (settings.auditLog()) {
                engine.observers().add(new AuditLog());
            }
            // The engine closes the parts it was handed; the shared client goes after them.
            Deque<AutoCloseable> resources = new ArrayDeque<>();
            resources.add(engine);
            if (redis != null) {
                resources.add(redis);
            }
            if (contextPath != null) {
                resources.addFirst(MetricsExport.start(contextPath, engine.metrics()));
                resources.addFirst(ActiveHealth.register(engine, contextPath));
            }
            return new Installation(engine, resolver, resources);
        }
    }

    private static TokenResolver instantiate(String name, ClassLoader loader) {
        try {
            Class<?> type = Class.forName(name, true, loader != null ? loader
                    : Thread.currentThread().getContextClassLoader());
            if (!TokenResolver.class.isAssignableFrom(type)) {
                throw new RevocationConfigurationException(RevocationSettings.TOKEN_RESOLVER,
                        "'" + name + "' does not implement " + TokenResolver.class.getName());
            }
            return (TokenResolver) type.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new RevocationConfigurationException(RevocationSettings.TOKEN_RESOLVER,
                    "class '" + name + "' is not found");
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new RevocationConfigurationException(RevocationSettings.TOKEN_RESOLVER,
                    "'" + name + "' needs a public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new RevocationConfigurationException(RevocationSettings.TOKEN_RESOLVER,
                    "the constructor of '" + name + "' failed: " + e.getCause());
        }
    }
}
