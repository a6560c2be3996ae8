package io.github.cognitorevoke.example;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The example's REST endpoints live under {@code /api}. */
@ApplicationPath("api")
public class DemoApplication extends Application {
}
