package io.github.cognitorevoke.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The Micrometer export: the JMX metrics as Micrometer meters, tagged {@code context=<context path>}.
 * Loaded only where Micrometer is on the application's class path ({@link MetricsExport}); Micrometer
 * is an optional, {@code provided} dependency of the library. The registry is the application's CDI bean of type
 * {@code MeterRegistry} if there is exactly one, else {@link Metrics#globalRegistry}.
 */
final class MicrometerExport implements MetricsExport.Binding {

    static final String PREFIX = "cognito.revoke.";

    /** For {@link MetricsExport}, which creates it reflectively. */
    public MicrometerExport() {
    }

    @Override
    public AutoCloseable bind(RevocationMetrics metrics, String contextPath) {
        return bind(metrics, contextPath, registry());
    }

    /** The application's CDI {@code MeterRegistry} if it has one, else the global registry. */
    static MeterRegistry registry() {
        try {
            Instance<MeterRegistry> bean = CDI.current().select(MeterRegistry.class);
            if (bean.isResolvable()) {
                return bean.get();
            }
        } catch (RuntimeException | LinkageError e) {
            // no CDI here (a plain servlet container): the global registry
        }
        return Metrics.globalRegistry;
    }

    /**
     * Registers every meter.
     *
     * @param metrics     the metrics
     * @param contextPath the application's context path
     * @param registry    where to register
     * @return removes the meters again
     */
    static AutoCloseable bind(RevocationMetrics metrics, String contextPath, MeterRegistry registry) {
        Tags context = Tags.of("context", contextPath == null || contextPath.isEmpty() ? "/" : contextPath);
        List<Meter> meters = new ArrayList<>();
        Counters c = (name, key, value, fn) -> meters.add(FunctionCounter.builder(PREFIX + name, metrics, fn)
                .tags(context).tag(key, value).register(registry));
        c.add("logouts", "outcome", "completed", RevocationMetrics::getLogoutsCompleted);
        c.add("logouts", "outcome", "pending", RevocationMetrics::getLogoutsPending);
        c.add("logouts", "outcome", "refused", RevocationMetrics::getLogoutsRefused);
        c.add("signouts.everywhere", "outcome", "completed", RevocationMetrics::getSignOutsEverywhereCompleted);
        c.add("signouts.everywhere", "outcome", "pending", RevocationMetrics::getSignOutsEverywherePending);
        c.add("signouts.everywhere", "outcome", "refused", RevocationMetrics::getSignOutsEverywhereRefused);
        c.add("pending.ended", "end", "completed", RevocationMetrics::getPendingCompleted);
        c.add("pending.ended", "end", "refused", RevocationMetrics::getPendingRefused);
        c.add("pending.ended", "end", "given_up", RevocationMetrics::getPendingGivenUp);
        c.add("rejections", "match", "jti", RevocationMetrics::getRejectionsJti);
        c.add("rejections", "match", "origin_jti", RevocationMetrics::getRejectionsOriginJti);
        c.add("rejections", "match", "signed_out", RevocationMetrics::getRejectionsSignedOut);
        c.add("rejections", "match", "sign_in", RevocationMetrics::getRejectionsSignIn);
        c.add("cognito.calls", "outcome", "done", RevocationMetrics::getCognitoCallsDone);
        c.add("cognito.calls", "outcome", "retry", RevocationMetrics::getCognitoCallsRetry);
        c.add("cognito.calls", "outcome", "refused", RevocationMetrics::getCognitoCallsRefused);
        c.add("jwks.fetches", "result", "ok", RevocationMetrics::getJwksFetchesOk);
        c.add("jwks.fetches", "result", "failed", RevocationMetrics::getJwksFetchesFailed);
        meters.add(Gauge.builder(PREFIX + "denylist.entries", metrics, RevocationMetrics::getDenylistEntries)
                .tags(context).description("token ids denylisted now").register(registry));
        meters.add(Gauge.builder(PREFIX + "pending", metrics, RevocationMetrics::getPendingRevocations)
                .tags(context).description("revocations waiting for Cognito").register(registry));
        meters.add(TimeGauge.builder(PREFIX + "pending.oldest.age", metrics, TimeUnit.SECONDS,
                        RevocationMetrics::getOldestPendingAgeSeconds)
                .tags(context).description("age of the oldest revocation waiting for Cognito").register(registry));
        meters.add(TimeGauge.builder(PREFIX + "cognito.latency", metrics, TimeUnit.MILLISECONDS,
                        RevocationMetrics::getCognitoLatencyP50Millis)
                .tags(context).tag("quantile", "0.5").description("Cognito call duration, last 1024 calls")
                .register(registry));
        meters.add(TimeGauge.builder(PREFIX + "cognito.latency", metrics, TimeUnit.MILLISECONDS,
                        RevocationMetrics::getCognitoLatencyP99Millis)
                .tags(context).tag("quantile", "0.99").description("Cognito call duration, last 1024 calls")
                .register(registry));
        return () -> meters.forEach(registry::remove);
    }

    @FunctionalInterface
    private interface Counters {
        void add(String name, String tagKey, String tagValue, ToDoubleFunction<RevocationMetrics> count);
    }
}
