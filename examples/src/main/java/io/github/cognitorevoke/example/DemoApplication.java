package io.github.cognitorevoke.example;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * The example's REST endpoints under {@code /api}, where {@code web.xml} maps the RevocationFilter.
 *
 * <p>Its classes are listed rather than scanned: {@link UnprotectedApplication} serves
 * {@link HelloResource} a second time, outside the filter, and each application must get only its own.
 */
@ApplicationPath("api")
public class DemoApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(HelloResource.class, LoginResource.class);
    }
}
