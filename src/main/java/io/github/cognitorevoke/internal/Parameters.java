package io.github.cognitorevoke.internal;

import static io.github.cognitorevoke.RevocationSettings.ACCESS_TOKEN_COOKIE;
import static io.github.cognitorevoke.RevocationSettings.ALB_SESSION_COOKIE;
import static io.github.cognitorevoke.RevocationSettings.AUDIT_LOG;
import static io.github.cognitorevoke.RevocationSettings.CLIENT_ID;
import static io.github.cognitorevoke.RevocationSettings.CLIENT_SECRET;
import static io.github.cognitorevoke.RevocationSettings.CLOCK_SKEW;
import static io.github.cognitorevoke.RevocationSettings.COGNITO_DOMAIN;
import static io.github.cognitorevoke.RevocationSettings.COGNITO_TIMEOUT;
import static io.github.cognitorevoke.RevocationSettings.ENDPOINT;
import static io.github.cognitorevoke.RevocationSettings.ISSUER;
import static io.github.cognitorevoke.RevocationSettings.JWKS_URI;
import static io.github.cognitorevoke.RevocationSettings.LOGOUT_PATHS;
import static io.github.cognitorevoke.RevocationSettings.LOGOUT_REDIRECT;
import static io.github.cognitorevoke.RevocationSettings.LOGOUT_URI;
import static io.github.cognitorevoke.RevocationSettings.MAX_PENDING_BYTES;
import static io.github.cognitorevoke.RevocationSettings.MAX_PENDING_REVOCATIONS;
import static io.github.cognitorevoke.RevocationSettings.MAX_TOKEN_LIFETIME;
import static io.github.cognitorevoke.RevocationSettings.PENDING_DEADLINE;
import static io.github.cognitorevoke.RevocationSettings.REDIS_ENCRYPTION_KEY;
import static io.github.cognitorevoke.RevocationSettings.REDIS_KEY_PREFIX;
import static io.github.cognitorevoke.RevocationSettings.REDIS_LEASE;
import static io.github.cognitorevoke.RevocationSettings.REDIS_MAX_BUFFERED_WRITES;
import static io.github.cognitorevoke.RevocationSettings.REDIS_SYNC_TIMEOUT;
import static io.github.cognitorevoke.RevocationSettings.REDIS_TIMEOUT;
import static io.github.cognitorevoke.RevocationSettings.REDIS_URI;
import static io.github.cognitorevoke.RevocationSettings.REFRESH_TOKEN_COOKIE;
import static io.github.cognitorevoke.RevocationSettings.REGION;
import static io.github.cognitorevoke.RevocationSettings.SIGN_OUT_EVERYWHERE_PATHS;
import static io.github.cognitorevoke.RevocationSettings.TOKEN_RESOLVER;
import static io.github.cognitorevoke.RevocationSettings.USER_POOL_ID;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.RevocationSettings.Builder;
import io.github.cognitorevoke.RevocationSettings.Redis;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one table of init-params. Each row says how the text is read, whether the parameter is
 * required or secret, which builder method takes it and how {@link RevocationSettings#toString()}
 * shows it; parsing, the "did you mean" hints, the masking of secrets and the README check read
 * it. The values themselves are checked by the builder, whose messages name parameter and value.
 */
public final class Parameters {

    /**
     * How a parameter's text becomes a value.
     *
     * @param <T> the value's type
     */
    @FunctionalInterface
    interface Kind<T> {
        /** Reads the text; a malformed one throws naming the parameter. */
        T read(String parameter, String text);
    }

    // Passed on as written: the builder strips and checks it.
    private static final Kind<String> TEXT = (parameter, text) -> text;
    private static final Kind<Set<String>> PATHS = ParameterText::paths;
    private static final Kind<Duration> DURATION = ParameterText::duration;
    private static final Kind<Integer> COUNT = ParameterText::count;
    private static final Kind<Long> BYTES = ParameterText::bytes;
    private static final Kind<Boolean> BOOL = ParameterText::bool;

    /**
     * One init-param.
     *
     * @param name     as written in {@code web.xml}
     * @param required whether it is one of the builder's arguments (no default)
     * @param secret   whether its value, or a variable name that may be the value, must never be shown
     * @param kind     how its text is read
     * @param set      how an optional value reaches the builder; null for a required one
     * @param shown    what {@code toString()} shows; a secret's is masked
     * @param <T>      the value's type
     */
    record Parameter<T>(String name, boolean required, boolean secret, Kind<T> kind, BiConsumer<Builder, T> set,
                        Function<RevocationSettings, ?> shown) {

        /** Reads the text and hands the value to the builder. */
        void apply(Builder builder, String text) {
            set.accept(builder, kind.read(name, text));
        }
    }

    // In the order of parsing, of the known-names list in messages and of toString().
    private static final List<Parameter<?>> COGNITO = List.of(
            required(REGION, RevocationSettings::region),
            required(USER_POOL_ID, RevocationSettings::userPoolId),
            required(CLIENT_ID, RevocationSettings::clientId),
            secret(CLIENT_SECRET, Builder::clientSecret, RevocationSettings::clientSecret),
            optional(ENDPOINT, TEXT, Builder::endpoint, RevocationSettings::endpoint),
            optional(ISSUER, TEXT, Builder::issuer, RevocationSettings::issuer),
            optional(JWKS_URI, TEXT, Builder::jwksUri, RevocationSettings::jwksUri),
            optional(LOGOUT_PATHS, PATHS, Builder::logoutPaths, RevocationSettings::logoutPaths),
            optional(LOGOUT_REDIRECT, TEXT, Builder::logoutRedirect, RevocationSettings::logoutRedirect),
            optional(ACCESS_TOKEN_COOKIE, TEXT, Builder::accessTokenCookie, RevocationSettings::accessTokenCookie),
            optional(REFRESH_TOKEN_COOKIE, TEXT, Builder::refreshTokenCookie, RevocationSettings::refreshTokenCookie),
            optional(SIGN_OUT_EVERYWHERE_PATHS, PATHS, Builder::signOutEverywherePaths,
                    RevocationSettings::signOutEverywherePaths),
            optional(COGNITO_DOMAIN, TEXT, Builder::cognitoDomain, RevocationSettings::cognitoDomain),
            optional(LOGOUT_URI, TEXT, Builder::logoutUri, RevocationSettings::logoutUri),
            optional(ALB_SESSION_COOKIE, TEXT, Builder::albSessionCookie, RevocationSettings::albSessionCookie),
            optional(TOKEN_RESOLVER, TEXT, Builder::tokenResolver, RevocationSettings::tokenResolver),
            optional(CLOCK_SKEW, DURATION, Builder::clockSkew, RevocationSettings::clockSkew),
            optional(COGNITO_TIMEOUT, DURATION, Builder::cognitoTimeout, RevocationSettings::cognitoTimeout),
            optional(MAX_TOKEN_LIFETIME, DURATION, Builder::maxTokenLifetime, RevocationSettings::maxTokenLifetime),
            optional(PENDING_DEADLINE, DURATION, Builder::pendingDeadline, RevocationSettings::pendingDeadline),
            optional(MAX_PENDING_REVOCATIONS, COUNT, Builder::maxPendingRevocations,
                    RevocationSettings::maxPendingRevocations),
            optional(MAX_PENDING_BYTES, BYTES, Builder::maxPendingBytes, RevocationSettings::maxPendingBytes),
            optional(AUDIT_LOG, BOOL, Builder::auditLog, RevocationSettings::auditLog));

    // The shared tier: shown only when redisUri is set.
    private static final List<Parameter<?>> REDIS = List.of(
            // Secret for its password; shown without it.
            new Parameter<>(REDIS_URI, false, true, TEXT, Builder::redisUri, redis(Redis::server)),
            optional(REDIS_KEY_PREFIX, TEXT, Builder::redisKeyPrefix, redis(Redis::keyPrefix)),
            secret(REDIS_ENCRYPTION_KEY, Builder::redisEncryptionKey, redis(Redis::encryptionKey)),
            optional(REDIS_TIMEOUT, DURATION, Builder::redisTimeout, redis(Redis::timeout)),
            optional(REDIS_SYNC_TIMEOUT, DURATION, Builder::redisSyncTimeout, redis(Redis::syncTimeout)),
            optional(REDIS_MAX_BUFFERED_WRITES, COUNT, Builder::redisMaxBufferedWrites,
                    redis(Redis::maxBufferedWrites)),
            optional(REDIS_LEASE, DURATION, Builder::redisLease, redis(Redis::lease)));

    private static final Map<String, Parameter<?>> BY_NAME = Stream.concat(COGNITO.stream(), REDIS.stream())
            .collect(Collectors.toMap(Parameter::name, p -> p, (a, b) -> {
                throw new IllegalStateException("two parameters named " + a.name());
            }, LinkedHashMap::new));

    private Parameters() {
    }

    /** @return every init-param name, in table order (unmodifiable) */
    public static Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(BY_NAME.keySet()));
    }

    /**
     * Shows settings as {@code name=value, ...}, secrets masked, the Redis part only when it is set.
     *
     * @param settings the settings
     * @return the text inside {@code RevocationSettings[...]}
     */
    public static String describe(RevocationSettings settings) {
        Stream<Parameter<?>> shown = settings.redis().isPresent()
                ? Stream.concat(COGNITO.stream(), REDIS.stream()) : COGNITO.stream();
        return shown.map(p -> p.name() + "=" + unwrap(p.shown().apply(settings))).collect(Collectors.joining(", "));
    }

    /** @return every parameter, in table order */
    static Iterable<Parameter<?>> all() {
        return BY_NAME.values();
    }

    /** @return the parameter of that name, or null */
    static Parameter<?> named(String name) {
        return BY_NAME.get(name);
    }

    private static Object unwrap(Object value) {
        return value instanceof Optional<?> o ? o.orElse(null) : value;
    }

    /** Reads a value of the Redis part, which describe() shows only when it is present. */
    private static <T> Function<RevocationSettings, T> redis(Function<Redis, T> value) {
        return settings -> value.apply(settings.redis().orElseThrow());
    }

    private static Parameter<String> required(String name, Function<RevocationSettings, ?> shown) {
        return new Parameter<>(name, true, false, TEXT, null, shown);
    }

    private static <T> Parameter<T> optional(String name, Kind<T> kind, BiConsumer<Builder, T> set,
                                             Function<RevocationSettings, ?> shown) {
        return new Parameter<>(name, false, false, kind, set, shown);
    }

    /** A secret shown only as {@code (set)} or {@code (none)}. */
    private static Parameter<String> secret(String name, BiConsumer<Builder, String> set,
                                            Function<RevocationSettings, ? extends Optional<?>> value) {
        return new Parameter<>(name, false, true, TEXT, set, s -> value.apply(s).isPresent() ? "(set)" : "(none)");
    }
}
