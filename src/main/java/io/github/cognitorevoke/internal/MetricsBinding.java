package io.github.cognitorevoke.internal;

/**
 * Offers an application's metrics to a metrics library that may be absent; implemented by classes
 * loaded only after a check that the library is there ({@link Telemetry}).
 */
interface MetricsBinding {

    /**
     * Registers the metrics.
     *
     * @param metrics     the metrics
     * @param contextPath the application's context path, as a tag
     * @return removes what was registered; null if nothing was
     */
    AutoCloseable bind(RevocationMetrics metrics, String contextPath);
}
