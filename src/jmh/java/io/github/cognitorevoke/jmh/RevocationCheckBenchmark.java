package io.github.cognitorevoke.jmh;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.cognitorevoke.RevocationFilter;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.internal.AccessTokenVerifier;
import io.github.cognitorevoke.TokenRejectedEvent;
import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.internal.Denylist;
import io.github.cognitorevoke.internal.EventPublisher;
import io.github.cognitorevoke.internal.SdkCognitoGateway;
import io.github.cognitorevoke.internal.TokenIds;
import io.github.cognitorevoke.internal.RevocationEngine;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * The per-request check of {@link RevocationFilter} (header resolution, payload peek, denylist
 * lookups) next to what it is meant to be cheaper than: a bare Nimbus parse of the same token.
 *
 * <p>Realistic on purpose: RS256 tokens with a Cognito access token's claim set, a denylist
 * pre-populated with {@link #families} token families (50,000 unless set; {@code jti} and
 * {@code origin_jti}, so twice as many ids) plus {@value #CUT_OFF_SUBJECTS} subject cut-offs, and
 * {@value #POOL} distinct tokens per case requested with a Zipf skew (a few users make most
 * requests), as in Caffeine's own benchmarks. Run with {@code mvn -Pjmh -q test-compile exec:exec};
 * see BENCHMARKS.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RevocationCheckBenchmark {

    static final int POOL = 256;
    /** Distinct tokens cycled in order: far more than the table of recent texts holds. */
    static final int DISTINCT = 16_384;
    /** Denylisted token families (their {@code jti} and {@code origin_jti}, so twice as many ids). */
    @Param({"50000"})
    int families;
    static final int CUT_OFF_SUBJECTS = 1_000;
    private static final int SEQUENCE = 1 << 16;

    /** Live (not revoked) tokens, and the same as {@code Authorization} header values. */
    String[] liveTokens;
    String[] liveHeaders;
    /** Tokens whose family ({@code origin_jti}) is denylisted; their own {@code jti} is not. */
    String[] revokedHeaders;
    /** Zipf-distributed indexes into the pools. */
    int[] sequence;
    /** {@value #DISTINCT} live tokens with distinct payloads and signatures, and their headers. */
    String[] distinctTokens;
    String[] distinctHeaders;
    /** As {@link #distinctHeaders}, each payload laid out unlike the one before it (group names of 6 to 38 characters). */
    String[] mixedHeaders;

    /** Session contexts holding the live tokens (as access and ID token). */
    FakeServlet.OidcContext[] sessionContexts;
    static final java.security.Principal SESSION_CALLER = () -> "alice";

    RevocationFilter filter;
    RevocationEngine engine;
    CaffeineDenylist denylist;
    TokenIds[] distinctIds;
    /** The same, in an application that observes {@code TokenRejectedEvent}. */
    RevocationFilter observedFilter;
    RevocationEngine observedEngine;
    volatile TokenRejectedEvent lastRejected;
    HttpServer keyServer;
    /** The JDK's decoder, for {@link #floor_firstSeen}. */
    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

    /** One simulated request thread: its own request, response and chain objects and position. */
    @State(Scope.Thread)
    public static class Client {
        final FakeServlet.Request request = new FakeServlet.Request("/api/orders");
        final FakeServlet.Response response = new FakeServlet.Response();
        final FakeServlet.Chain chain = new FakeServlet.Chain();
        int position;
        int cycle;

        @Setup(Level.Trial)
        public void start() {
            position = (int) Thread.currentThread().getId() * 7919;
            cycle = position;
        }

        /** The next of the distinct tokens, in order: none was seen in the last {@value #DISTINCT} requests. */
        int nextDistinct() {
            return cycle++ & (DISTINCT - 1);
        }

        int next(int[] sequence) {
            return sequence[position++ & (SEQUENCE - 1)];
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Random random = new Random(42);
        Clock clock = Clock.systemUTC();
        Instant now = clock.instant();
        RSAKey key = new RSAKeyGenerator(2048)
                .keyID(Base64.getEncoder().encodeToString(bytes(random, 32)))
                .generate();
        // The key set from a local server, so the 401 path checks signatures as it does in production.
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        keyServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        keyServer.createContext("/jwks.json", exchange -> {
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        keyServer.start();
        RevocationSettings settings = RevocationSettings.builder("eu-west-1", "eu-west-1_Bench1234", "benchclient")
                .jwksUri("http://127.0.0.1:" + keyServer.getAddress().getPort() + "/jwks.json")
                .build();
        RSASSASigner signer = new RSASSASigner(key);

        denylist = new CaffeineDenylist(clock);
        String[] familyIds = new String[families];
        for (int i = 0; i < families; i++) {
            String jti = uuid(random);
            String origin = uuid(random);
            familyIds[i] = origin;
            Instant until = now.plus(Duration.ofHours(1));
            denylist.add(jti, until);
            denylist.add(origin, until);
        }
        for (int i = 0; i < CUT_OFF_SUBJECTS; i++) {
            denylist.cutOff(uuid(random), now, now.plus(Duration.ofDays(1)));
        }

        liveTokens = new String[POOL];
        liveHeaders = new String[POOL];
        revokedHeaders = new String[POOL];
        for (int i = 0; i < POOL; i++) {
            liveTokens[i] = accessToken(signer, key.getKeyID(), settings, random, now, uuid(random));
            liveHeaders[i] = "Bearer " + liveTokens[i];
            // A sibling minted from a refresh token whose family was revoked at logout.
            String revokedFamily = familyIds[i * (families / POOL)];
            revokedHeaders[i] = "Bearer " + accessToken(signer, key.getKeyID(), settings, random, now, revokedFamily);
        }
        sequence = zipf(random, POOL, 0.99, SEQUENCE);
        sessionContexts = new FakeServlet.OidcContext[POOL];
        for (int i = 0; i < POOL; i++) {
            sessionContexts[i] = new FakeServlet.OidcContext(liveTokens[i], liveTokens[(i + 1) % POOL]);
        }
        distinctTokens = new String[DISTINCT];
        distinctHeaders = new String[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            distinctTokens[i] = unsignedAccessToken(key.getKeyID(), settings, random, now);
            distinctHeaders[i] = "Bearer " + distinctTokens[i];
        }
        mixedHeaders = new String[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            // Consecutive users are in groups of different names, which Cognito puts second: no payload
            // has the layout of the one before up to jti (user names, after it, would not matter).
            JWTClaimsSet claims = new JWTClaimsSet.Builder(claims(settings, random, now, uuid(random)))
                    .claim("cognito:groups", List.of("group-" + "x".repeat(i % 33), "customers")).build();
            mixedHeaders[i] = "Bearer " + new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build().toBase64URL()
                    + "." + Base64URL.encode(claims.toString()) + "." + Base64URL.encode(bytes(random, 256));
        }
        distinctIds = new TokenIds[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            distinctIds[i] = TokenIds.peek(distinctTokens[i]);
        }

        // Built as the tests build it; Cognito is never reached, the key set once, here.
        AccessTokenVerifier verifier = new AccessTokenVerifier(settings, clock);
        if (!verifier.prefetchKeys() || verifier.vouchedSubject(revokedHeaders[0].substring(7)) == null) {
            throw new IllegalStateException("the verifier holds no key for the tokens");
        }
        engine = RevocationEngine.builder(settings).clock(clock).denylist(denylist)
                .verifier(verifier).cognito(new SdkCognitoGateway(settings)).build();
        filter = FakeServlet.filter(engine);
        observedEngine = RevocationEngine.builder(settings).clock(clock).denylist(denylist)
                .verifier(verifier).cognito(new SdkCognitoGateway(settings)).build();
        observedEngine.observers().add(new EventPublisher(clock, new EventPublisher.Delivery() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> Consumer<T> to(Class<T> type) {
                return type == TokenRejectedEvent.class ? e -> lastRejected = (TokenRejectedEvent) e : null;
            }
        }));
        observedFilter = FakeServlet.filter(observedEngine);

        check(denylist);
    }

    /** Fails the run rather than measure a path that does not give the expected answer. */
    private void check(CaffeineDenylist denylist) throws Exception {
        if (denylist.size() != 2L * families) {
            throw new IllegalStateException("denylist holds " + denylist.size() + " ids");
        }
        int shortest = Arrays.stream(liveTokens).mapToInt(String::length).min().orElseThrow();
        int longest = Arrays.stream(liveTokens).mapToInt(String::length).max().orElseThrow();
        if (shortest < 900 || longest > 1300) {
            throw new IllegalStateException("token length " + shortest + ".." + longest);
        }
        Client c = new Client();
        for (int i = 0; i < POOL; i++) {
            if (engine.isRevoked(liveTokens[i])) {
                throw new IllegalStateException("a live token is revoked");
            }
            if (!engine.isRevoked(revokedHeaders[i].substring(7))) {
                throw new IllegalStateException("a revoked token passes");
            }
            c.request.authorization = revokedHeaders[i];
            c.response.status = HttpServletResponse.SC_OK;
            filter.doFilter(c.request, c.response, c.chain);
            if (c.response.status != HttpServletResponse.SC_UNAUTHORIZED || c.chain.passed != 0) {
                throw new IllegalStateException("the filter let a revoked token through");
            }
        }
        observedFilter.doFilter(c.request, c.response, c.chain);
        if (lastRejected == null || lastRejected.sub() == null) {
            throw new IllegalStateException("the observed rejection names no user");
        }
        c.request.authorization = liveHeaders[0];
        filter.doFilter(c.request, c.response, c.chain);
        c.request.authorization = null;
        filter.doFilter(c.request, c.response, c.chain);
        c.request.authorization = distinctHeaders[0];
        filter.doFilter(c.request, c.response, c.chain);
        c.request.authorization = mixedHeaders[0];
        filter.doFilter(c.request, c.response, c.chain);
        if (c.chain.passed != 4 || TokenIds.peek(distinctTokens[DISTINCT - 1]).jti() == null) {
            throw new IllegalStateException("the filter stopped a live or absent token");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        filter.destroy();
        observedFilter.destroy();
        engine.close();
        observedEngine.close();
        keyServer.stop(0);
    }

    // ---- the per-request check, as the filter runs it -------------------------------------------

    /** A request with a live bearer token: resolved, peeked, three denylist misses, passed on. */
    @Benchmark
    public long check_notRevoked(Client c) throws IOException, ServletException {
        c.request.authorization = liveHeaders[c.next(sequence)];
        filter.doFilter(c.request, c.response, c.chain);
        return c.chain.passed;
    }

    /** A request with a token of a revoked family: resolved, peeked, denylist hit, 401 written. */
    @Benchmark
    public long check_revoked(Client c) throws IOException, ServletException {
        c.request.authorization = revokedHeaders[c.next(sequence)];
        filter.doFilter(c.request, c.response, c.chain);
        return c.response.bodyBytes;
    }

    /**
     * The same in an application that observes {@code TokenRejectedEvent}: the rejected token's
     * signature is checked against the held keys, so that the event names its user.
     */
    @Benchmark
    public long check_revoked_rejectionObserved(Client c) throws IOException, ServletException {
        c.request.authorization = revokedHeaders[c.next(sequence)];
        observedFilter.doFilter(c.request, c.response, c.chain);
        return c.response.bodyBytes;
    }

    /**
     * A signed-in browser session of the server's own OIDC login (elytron-oidc-client's request
     * attribute; its access and ID token, live): both tokens are checked, no bearer header.
     */
    @Benchmark
    public long check_sessionTokens_notRevoked(Client c) throws IOException, ServletException {
        int i = c.next(sequence);
        c.request.authorization = null;
        c.request.principal = SESSION_CALLER;
        c.request.oidcContext = sessionContexts[i];
        try {
            filter.doFilter(c.request, c.response, c.chain);
        } finally {
            c.request.principal = null;
            c.request.oidcContext = null;
        }
        return c.chain.passed;
    }

    /** A request without an {@code Authorization} header: passed on. */
    @Benchmark
    public long check_noToken(Client c) throws IOException, ServletException {
        c.request.authorization = null;
        filter.doFilter(c.request, c.response, c.chain);
        return c.chain.passed;
    }

    /** The engine alone (no servlet API), to split the filter's cost. */
    @Benchmark
    public boolean engine_isRevoked_notRevoked(Client c) {
        return engine.isRevoked(liveTokens[c.next(sequence)]);
    }

    /**
     * A token seen for the first time (or evicted from the engine's table of recent texts): the
     * payload is decoded and scanned. This is what every request would cost without that table,
     * and what a flood of distinct tokens costs.
     */
    @Benchmark
    public boolean peek_firstSeen(Client c) {
        return TokenIds.anyMatch(distinctHeaders[c.nextDistinct()], ids -> ids.jti() == null);
    }

    /**
     * The denylist's lookups for the ids of the same distinct tokens, already read (their keys too,
     * which the scanner computes as it reads them), as the check makes them: every rule at once (the
     * {@code jti}/{@code origin_jti} pair, the subject's cut-off and ended sign-ins). What the check
     * adds to the peek.
     */
    @Benchmark
    public boolean lookups_firstSeen(Client c) {
        TokenIds ids = distinctIds[c.nextDistinct()];
        return denylist.revoked(ids) != 0;
    }

    /**
     * A request with a live token the node has not seen recently: {@value #DISTINCT} distinct
     * tokens in turn, as on a server with many users, so the table of recent texts never answers.
     */
    @Benchmark
    public long check_firstSeen(Client c) throws IOException, ServletException {
        c.request.authorization = distinctHeaders[c.nextDistinct()];
        filter.doFilter(c.request, c.response, c.chain);
        return c.chain.passed;
    }

    /**
     * The same with payloads that share no layout with the one before (group names of different
     * lengths): each is read by the strict scan, as before payloads were compared with the last one.
     */
    @Benchmark
    public long check_firstSeen_mixedLayouts(Client c) throws IOException, ServletException {
        c.request.authorization = mixedHeaders[c.nextDistinct()];
        filter.doFilter(c.request, c.response, c.chain);
        return c.chain.passed;
    }

    // ---- references --------------------------------------------------------------------------

    /**
     * The floor under {@link #check_firstSeen}: what any reader of the same headers' payloads does at
     * the least. It finds the dots, base64url-decodes the payload with the JDK's decoder and reads each
     * decoded byte once, with no JSON rules, no ids and no lookups.
     */
    @Benchmark
    public long floor_firstSeen(Client c) {
        String header = distinctHeaders[c.nextDistinct()];
        int first = header.indexOf('.');
        int second = header.indexOf('.', first + 1);
        long sum = header.indexOf('.', second + 1);
        for (byte b : URL_DECODER.decode(header.substring(first + 1, second))) {
            sum += b;
        }
        return sum;
    }

    /** The parse of the same distinct tokens, in the same order: the reference for {@link #check_firstSeen}. */
    @Benchmark
    public SignedJWT nimbus_signedJwtParse_firstSeen(Client c) throws ParseException {
        return SignedJWT.parse(distinctTokens[c.nextDistinct()]);
    }

    /** What a filter that parses the token with Nimbus would pay before any lookup. */
    @Benchmark
    public SignedJWT nimbus_signedJwtParse(Client c) throws ParseException {
        return SignedJWT.parse(liveTokens[c.next(sequence)]);
    }

    /** The same, plus the claims map (the cheapest way to reach {@code jti} with Nimbus). */
    @Benchmark
    public JWTClaimsSet nimbus_parseAndClaims(Client c) throws ParseException {
        return SignedJWT.parse(liveTokens[c.next(sequence)]).getJWTClaimsSet();
    }

    // ---- setup helpers ----------------------------------------------------------------------

    /** The engine as the tests build it; neither the verifier's key set nor Cognito is ever reached. */
    static RevocationEngine engine(RevocationSettings settings, Clock clock, CaffeineDenylist denylist) {
        return RevocationEngine.builder(settings).clock(clock).denylist(denylist)
                .verifier(new AccessTokenVerifier(settings, clock)).cognito(new SdkCognitoGateway(settings)).build();
    }

    /** An access token with the claims, in the order, that Cognito issues them. */
    private static String accessToken(RSASSASigner signer, String kid, RevocationSettings settings, Random random,
                                      Instant now, String originJti) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(),
                claims(settings, random, now, originJti));
        jwt.sign(signer);
        return jwt.serialize();
    }

    /**
     * A token shaped as {@link #accessToken} signs it, with random bytes for the signature: signing
     * {@value #DISTINCT} tokens with RSA would take minutes, and neither the check nor the parse
     * verifies a signature.
     */
    private static String unsignedAccessToken(String kid, RevocationSettings settings, Random random, Instant now) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build();
        return header.toBase64URL() + "." + Base64URL.encode(claims(settings, random, now, uuid(random)).toString())
                + "." + Base64URL.encode(bytes(random, 256));
    }

    private static JWTClaimsSet claims(RevocationSettings settings, Random random, Instant now, String originJti) {
        String sub = uuid(random);
        Instant iat = now.minusSeconds(60 + random.nextInt(1800));
        return new JWTClaimsSet.Builder()
                .subject(sub)
                .claim("cognito:groups", List.of("eu-west-1_Bench1234_Google", "customers"))
                .issuer(settings.issuer())
                .claim("version", 2)
                .claim("client_id", settings.clientId())
                .claim("origin_jti", originJti)
                .claim("event_id", uuid(random))
                .claim("token_use", "access")
                .claim("scope", "aws.cognito.signin.user.admin phone openid profile email")
                .claim("auth_time", iat.getEpochSecond())
                .expirationTime(Date.from(iat.plus(Duration.ofHours(1))))
                .issueTime(Date.from(iat))
                .jwtID(uuid(random))
                .claim("username", "google_" + (100_000_000_000_000_000L + (random.nextLong() & 0x00ff_ffff_ffff_ffffL)))
                .build();
    }

    private static String uuid(Random random) {
        return new UUID(random.nextLong() & ~0xf000L | 0x4000L, random.nextLong() & ~(3L << 62) | (2L << 62)).toString();
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** {@code length} draws from ranks 0..n-1 with P(k) proportional to 1/(k+1)^s, ranks shuffled. */
    static int[] zipf(Random random, int n, double s, int length) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, s);
            cdf[k] = sum;
        }
        int[] shuffle = new int[n];
        for (int k = 0; k < n; k++) {
            shuffle[k] = k;
        }
        for (int k = n - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            int t = shuffle[k];
            shuffle[k] = shuffle[j];
            shuffle[j] = t;
        }
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            int rank = Arrays.binarySearch(cdf, random.nextDouble() * sum);
            out[i] = shuffle[rank < 0 ? Math.min(-rank - 1, n - 1) : rank];
        }
        return out;
    }
}
