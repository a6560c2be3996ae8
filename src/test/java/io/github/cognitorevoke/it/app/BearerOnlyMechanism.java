package io.github.cognitorevoke.it.app;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@link BearerTokenMechanism} as the documentation recommends it: stateless, every request authenticated by
 * the token it carries, no HTTP session.
 */
@ApplicationScoped
public class BearerOnlyMechanism extends BearerTokenMechanism {
}
