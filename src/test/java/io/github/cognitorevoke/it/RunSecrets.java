package io.github.cognitorevoke.it;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every token and client secret the integration tests of this Failsafe execution sent to a server, so that
 * {@link ServerLogSecretsIT} (ordered last) can check that none of them reached a log. One test JVM runs
 * every class of an execution, so a static set spans them all.
 */
public final class RunSecrets {
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private RunSecrets() {}

    /**
     * Remembers a secret value (blank values are ignored).
     *
     * @param secret a token or a client secret
     */
    public static void remember(String secret) {
        if (secret != null && !secret.isBlank()) {
            SECRETS.add(secret);
        }
    }

    /**
     * Everything remembered so far.
     *
     * @return a snapshot
     */
    public static Collection<String> all() {
        return List.copyOf(SECRETS);
    }
}
