package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.TokenResolver;
import java.lang.reflect.InvocationTargetException;

/**
 * What one application runs: its engine and the token resolver its filter uses.
 *
 * @param engine   the engine shared by the filter and the CDI service
 * @param resolver where the filter takes tokens from
 */
public record Installation(RevocationEngine engine, TokenResolver resolver) {

    /**
     * Builds everything the settings call for.
     *
     * @param settings    the settings
     * @param classLoader loads a custom {@link TokenResolver}
     * @return the installation
     * @throws RevocationConfigurationException if the custom resolver cannot be made
     */
    public static Installation create(RevocationSettings settings, ClassLoader classLoader) {
        TokenResolver resolver = settings.tokenResolver()
                .map(name -> instantiate(name, classLoader))
                .orElseGet(() -> new DefaultTokenResolver(settings));
        return new Installation(RevocationEngine.create(settings), resolver);
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
