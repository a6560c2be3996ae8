package io.github.cognitorevoke.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;

/**
 * The cognito-local emulator (installed by the build under {@code target/cognito-local}) as a JUnit 5
 * extension or a plain {@link AutoCloseable}.
 *
 * <p>Each instance runs its own node process on a free loopback port, from a fresh directory under
 * {@code target/} (state, config and the emulator's log live there). The process is stopped by its PID in
 * every outcome: by {@link #close()} / {@code afterAll}, by a JVM shutdown hook, and, should the test JVM
 * be killed outright, by the emulator itself, which exits when its stdin pipe from this JVM closes.
 *
 * <pre>{@code
 * @RegisterExtension static final CognitoLocal COGNITO = new CognitoLocal();   // started lazily or in beforeAll
 * var pool = COGNITO.createPool("it");
 * var clientId = COGNITO.createClient(pool, "web");
 * COGNITO.createUser(pool, "alice", "Passw0rd!");
 * var tokens = COGNITO.login(clientId, "alice", "Passw0rd!");
 * }</pre>
 */
public final class CognitoLocal implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    /** A user pool in the emulator: its id, the {@code iss} of its tokens and its JWKS address. */
    public record UserPool(String id, String issuer, URI jwksUri) {}

    /** The tokens of one authentication. {@code refreshToken} is null after a refresh. */
    public record Tokens(String accessToken, String idToken, String refreshToken) {}

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final String WATCHDOG_JS =
            "process.stdin.on('end', () => process.exit(0));\n"
            + "process.stdin.on('error', () => process.exit(0));\n"
            + "process.stdin.resume();\n";

    private Process process;
    private OutputStream lifeline;
    private Thread shutdownHook;
    private int port;
    private Path workDir;
    private CognitoIdentityProviderClient admin;
    private CognitoIdentityProviderClient anonymous;

    /** An emulator that starts in {@code beforeAll} or at the first call that needs it. */
    public CognitoLocal() {}

    /** Starts an emulator now; use it in try-with-resources. */
    public static CognitoLocal start() {
        return new CognitoLocal().ensureStarted();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ensureStarted();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts the emulator unless it runs already. */
    public synchronized CognitoLocal ensureStarted() {
        if (process != null) {
            return this;
        }
        Path installDir = Path.of(System.getProperty("it.cognito-local.dir", "target/cognito-local"));
        Path startJs = installDir.resolve("node_modules/cognito-local/lib/bin/start.js").toAbsolutePath();
        if (!Files.isRegularFile(startJs)) {
            throw new IllegalStateException("cognito-local is not installed at " + startJs
                    + " (the build installs it in pre-integration-test: run mvn verify)");
        }
        try {
            Path buildDir = Path.of(System.getProperty("it.build.dir", "target")).toAbsolutePath();
            Files.createDirectories(buildDir);
            workDir = Files.createTempDirectory(buildDir, "cognito-local-");
            Files.createDirectories(workDir.resolve(".cognito"));
            // plain usernames instead of emails
            Files.writeString(workDir.resolve(".cognito/config.json"),
                    "{\"UserPoolDefaults\":{\"UsernameAttributes\":[]}}");
            Path watchdog = workDir.resolve("watchdog.js");
            Files.writeString(watchdog, WATCHDOG_JS);
            port = freePort();
            ProcessBuilder pb = new ProcessBuilder("node", "--require", watchdog.toString(), startJs.toString())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("cognito-local.log").toFile());
            pb.environment().put("PORT", Integer.toString(port));
            pb.environment().put("HOST", "127.0.0.1");
            pb.environment().put("DEBUG", "");
            process = pb.start();
            lifeline = process.getOutputStream();
            shutdownHook = new Thread(this::stopProcess, "cognito-local-stop-" + process.pid());
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            awaitHealthy();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        return this;
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(endpoint().resolve("/health"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            await("cognito-local healthy").atMost(STARTUP_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .pollInSameThread()
                    .until(() -> {
                        if (!process.isAlive()) { // fail at once, not after the timeout
                            throw new IllegalStateException("cognito-local exited with " + process.exitValue()
                                    + " during startup; log: " + logTail());
                        }
                        return healthy(http, health);
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("cognito-local not healthy after " + STARTUP_TIMEOUT + "; log: " + logTail(), e);
        }
    }

    private static boolean healthy(HttpClient http, HttpRequest health) throws InterruptedException {
        try {
            return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /** Stops the node process (by its PID) and forgets it; a later call may start a new one. */
    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
        if (anonymous != null) {
            anonymous.close();
            anonymous = null;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs anyway
            }
            shutdownHook = null;
        }
        stopProcess();
        process = null;
        lifeline = null;
    }

    private void stopProcess() {
        Process p = process;
        if (p == null) {
            return;
        }
        try {
            if (lifeline != null) {
                lifeline.close();
            }
        } catch (IOException e) {
            // the process is gone already
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The loopback port the emulator listens on. */
    public int port() {
        ensureStarted();
        return port;
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint override for the SDK and for the filter. */
    public URI endpoint() {
        ensureStarted();
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The PID of the node process. */
    public long pid() {
        ensureStarted();
        return process.pid();
    }

    /** The emulator's working directory (its database under {@code .cognito/db}). */
    public Path workDir() {
        ensureStarted();
        return workDir;
    }

    /** The emulator's stdout and stderr. */
    public Path logFile() {
        return workDir().resolve("cognito-local.log");
    }

    /** A client signing with dummy static credentials, for CreateUserPool, Admin* and the like. */
    public synchronized CognitoIdentityProviderClient adminClient() {
        if (admin == null) {
            admin = client(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        }
        return admin;
    }

    /** An unsigned client, as an app uses for InitiateAuth, RevokeToken, GetUser. */
    public synchronized CognitoIdentityProviderClient anonymousClient() {
        if (anonymous == null) {
            anonymous = client(AnonymousCredentialsProvider.create());
        }
        return anonymous;
    }

    private CognitoIdentityProviderClient client(AwsCredentialsProvider credentials) {
        return CognitoIdentityProviderClient.builder()
                .endpointOverride(endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** Creates a user pool. */
    public UserPool createPool(String name) {
        String id = adminClient().createUserPool(b -> b.poolName(name)).userPool().id();
        String issuer = endpoint() + "/" + id;
        return new UserPool(id, issuer, URI.create(issuer + "/.well-known/jwks.json"));
    }

    /** Creates an app client without a secret, allowing password and refresh-token logins, revocation on. */
    public String createClient(UserPool pool, String name) {
        return adminClient().createUserPoolClient(b -> b.userPoolId(pool.id())
                        .clientName(name)
                        .generateSecret(false)
                        .enableTokenRevocation(true)
                        .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH,
                                ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH))
                .userPoolClient().clientId();
    }

    /** Creates a confirmed user with a permanent password (AdminCreateUser + AdminSetUserPassword). */
    public void createUser(UserPool pool, String username, String password) {
        adminClient().adminCreateUser(b -> b.userPoolId(pool.id())
                .username(username)
                .messageAction(MessageActionType.SUPPRESS));
        adminClient().adminSetUserPassword(b -> b.userPoolId(pool.id())
                .username(username)
                .password(password)
                .permanent(true));
    }

    /** USER_PASSWORD_AUTH. */
    public Tokens login(String clientId, String username, String password) {
        return tokens(anonymousClient().initiateAuth(b -> b.clientId(clientId)
                .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", username, "PASSWORD", password)))
                .authenticationResult());
    }

    /** REFRESH_TOKEN_AUTH; throws NotAuthorizedException once the refresh token is revoked. */
    public Tokens refresh(String clientId, String refreshToken) {
        return tokens(anonymousClient().initiateAuth(b -> b.clientId(clientId)
                .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                .authParameters(Map.of("REFRESH_TOKEN", refreshToken)))
                .authenticationResult());
    }

    /** RevokeToken for a refresh token. */
    public void revoke(String clientId, String refreshToken) {
        anonymousClient().revokeToken(b -> b.clientId(clientId).token(refreshToken));
    }

    private static Tokens tokens(AuthenticationResultType r) {
        return new Tokens(r.accessToken(), r.idToken(), r.refreshToken());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(workDir.resolve("cognito-local.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
