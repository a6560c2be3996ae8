package io.github.cognitorevoke.jmh;

import io.github.cognitorevoke.RevocationFilter;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.internal.RevocationEngine;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One unauthenticated request whose Authorization header, Cookie header (the configured
 * {@code accessTokenCookie}) or query string is a hostile text of {@code size} characters
 * ({@link HostileHeaders}), through {@code RevocationFilter.doFilter} as {@link RevocationCheckBenchmark}
 * runs it. The figure to read is each shape's time divided by {@code plain}'s in the same place
 * (bench/jmh.sh hostile prints it); BENCHMARKS.md, "Hostile headers".
 *
 * <p>Texts longer than the engine's table of recent texts are never remembered, so every op does
 * the whole search. No text holds a revoked token: every request passes, which the setup checks, after
 * checking that a revoked token in the same place gets 401 (the place is searched at all).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HostileHeaderBenchmark {

    @Param({"plain", "plain_pct", "dotted", "dotted_pct", "json", "json_pct", "jsonclose", "jsonclose_pct",
            "oddchars", "escaped"})
    String shape;

    @Param({"authorization", "cookie", "query"})
    String place;

    @Param({"1048576"})
    int size;

    private final FakeServlet.Request request = new FakeServlet.Request("/api/orders");
    private final FakeServlet.Response response = new FakeServlet.Response();
    private final FakeServlet.Chain chain = new FakeServlet.Chain();
    private RevocationEngine engine;
    private RevocationFilter filter;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Clock clock = Clock.systemUTC();
        RevocationSettings settings = RevocationSettings.builder("eu-west-1", "eu-west-1_Bench1234", "benchclient")
                .accessTokenCookie(HostileHeaders.COOKIE)
                .build();
        CaffeineDenylist denylist = new CaffeineDenylist(clock);
        String revokedJti = UUID.randomUUID().toString();
        denylist.add(revokedJti, clock.instant().plus(Duration.ofHours(1)));
        engine = RevocationCheckBenchmark.engine(settings, clock, denylist);
        filter = FakeServlet.filter(engine);

        // The signature is not what the filter reads; the payload is.
        String revoked = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(
                        ("{\"sub\":\"u\",\"jti\":\"" + revokedJti + "\"}").getBytes(StandardCharsets.UTF_8))
                + ".c2lnbmF0dXJl";
        if (send(HostileHeaders.prefix(place) + revoked) != HttpServletResponse.SC_UNAUTHORIZED || chain.passed != 0) {
            throw new IllegalStateException(place + " is not searched: a revoked token passed");
        }
        String text = HostileHeaders.text(shape, place, size);
        if (text.length() != size || send(text) != HttpServletResponse.SC_OK || chain.passed != 1) {
            throw new IllegalStateException(shape + " in " + place + " did not pass, or is not " + size + " long");
        }
    }

    /** Puts the text in this trial's place and runs the filter once; the status it set. */
    private int send(String text) throws IOException, ServletException {
        request.authorization = place.equals("authorization") ? text : null;
        request.cookie = place.equals("cookie") ? text : null;
        request.query = place.equals("query") ? text : null;
        response.status = HttpServletResponse.SC_OK;
        filter.doFilter(request, response, chain);
        return response.status;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        filter.destroy();
        engine.close();
    }

    /** The whole check of one request: every place searched, nothing revoked, passed on. */
    @Benchmark
    public long check() throws IOException, ServletException {
        filter.doFilter(request, response, chain);
        return chain.passed;
    }
}
