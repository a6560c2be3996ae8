package io.github.cognitorevoke.example;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * The same {@link HelloResource} once more, at {@code /unprotected/hello}: a path that the filter
 * mapping in {@code web.xml} ({@code /api/*} and {@code /logout}) does not cover.
 *
 * <p>It exists only to show what the library is for: after a logout, {@code /unprotected/hello}
 * still accepts the revoked token (the local JWT check cannot know), while {@code /api/hello} answers
 * 401. A real application maps the filter to {@code /*}.
 */
@ApplicationPath("unprotected")
public class UnprotectedApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(HelloResource.class);
    }
}
